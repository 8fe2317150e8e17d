/*
 * fmt.c - numbers, dates and units formatted per language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fmt.h"

static const char *const S_months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

int
fmt_is_zh(const char *lang)
{
	return strncmp(lang, "zh", 2) == 0 && (lang[2] == '\0' || lang[2] == '-');
}

/* Appends the digits of s[0..n) grouped by threes. */
static void
S_group(struct buf *b, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf_putc(b, ',');
		buf_putc(b, s[i]);
	}
}

void
fmt_int(struct buf *b, long long v)
{
	char	 tmp[32];
	int	 n;

	n = snprintf(tmp, sizeof(tmp), "%lld", v < 0 ? -v : v);
	if (v < 0)
		buf_putc(b, '-');
	S_group(b, tmp, (size_t)n);
}

void
fmt_decimal(struct buf *b, const char *num)
{
	size_t	 n = strcspn(num, ".");

	if (*num == '-' || *num == '+') {
		if (*num == '-')
			buf_putc(b, '-');
		num++;
		n--;
	}
	S_group(b, num, n);
	buf_puts(b, num + n);
}

void
fmt_population(struct buf *b, const char *lang, long long v)
{
	fmt_int(b, v);
	if (fmt_is_zh(lang))
		buf_puts(b, "人");
}

void
fmt_area(struct buf *b, const char *lang, const char *num)
{
	fmt_decimal(b, num);
	buf_puts(b, fmt_is_zh(lang) ? "平方公里" : " km²");
}

static void
S_parts(const char *d, int *y, int *m, int *day)
{
	*y = atoi(d);
	*m = atoi(d + 5);
	*day = atoi(d + 8);
}

void
fmt_date(struct buf *b, const char *lang, const char *date)
{
	int	 y, m, d;

	S_parts(date, &y, &m, &d);
	if (m < 1 || m > 12)
		m = 1;
	if (fmt_is_zh(lang))
		buf_printf(b, "%d年%d月%d日", y, m, d);
	else
		buf_printf(b, "%d %s %d", d, S_months[m - 1], y);
}

void
fmt_date_range(struct buf *b, const char *lang, const char *from,
    const char *to)
{
	int	 y1, m1, d1, y2, m2, d2;

	if (to == NULL || strcmp(from, to) == 0) {
		fmt_date(b, lang, from);
		return;
	}
	S_parts(from, &y1, &m1, &d1);
	S_parts(to, &y2, &m2, &d2);
	if (m1 < 1 || m1 > 12 || m2 < 1 || m2 > 12) {
		fmt_date(b, lang, from);
		return;
	}
	if (fmt_is_zh(lang)) {
		buf_printf(b, "%d年%d月%d日至", y1, m1, d1);
		if (y1 != y2)
			buf_printf(b, "%d年", y2);
		if (y1 != y2 || m1 != m2)
			buf_printf(b, "%d月", m2);
		buf_printf(b, "%d日", d2);
	} else if (y1 == y2 && m1 == m2) {
		buf_printf(b, "%d–%d %s %d", d1, d2, S_months[m1 - 1], y1);
	} else if (y1 == y2) {
		buf_printf(b, "%d %s – %d %s %d", d1, S_months[m1 - 1], d2,
		    S_months[m2 - 1], y1);
	} else {
		buf_printf(b, "%d %s %d – %d %s %d", d1, S_months[m1 - 1], y1,
		    d2, S_months[m2 - 1], y2);
	}
}
