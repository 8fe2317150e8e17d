/*
 * fmt.h - numbers, dates and units formatted per language.
 *
 * The templates never format: they receive text made here. English and
 * Chinese follow the printed brochures:
 *
 *	population	1,666,530		1,666,530人
 *	area		101.9 km²		101.9平方公里
 *	date		4 March 2022		2022年3月4日
 *	date range	4–6 March 2022		2022年3月4日至6日
 *
 * A language other than Chinese ("zh", "zh-*") gets the English forms.
 */
#ifndef BR_FMT_H
#define BR_FMT_H

#include "buf.h"

/* Appends v with thousands separators: 1666530 -> "1,666,530". */
void	fmt_int(struct buf *, long long v);
/* Appends a decimal number as written, its integer part grouped. */
void	fmt_decimal(struct buf *, const char *num);
void	fmt_population(struct buf *, const char *lang, long long v);
void	fmt_area(struct buf *, const char *lang, const char *num);
/* date is YYYY-MM-DD (checked by the model). */
void	fmt_date(struct buf *, const char *lang, const char *date);
void	fmt_date_range(struct buf *, const char *lang, const char *from,
	    const char *to);
/* Is lang Chinese ("zh" or "zh-...")? */
int	fmt_is_zh(const char *lang);

#endif
