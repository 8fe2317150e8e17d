// search.test.mjs - search in both languages, as a reader uses it: the site
// served by a plain static file server under a sub-path (run.sh), the query
// in the address, the results read from the page Chromium renders.
//
//   - each query finds its expected page first, or among the first three
//     (the `within` column): single Han words, multi-character words, mixed
//     Latin and Han, names in the other script, a word typed without its
//     diacritic, a prefix, a full question;
//   - each answers in under 100 ms once the index is loaded (data-query-ms,
//     measured by search.js around the query itself, shards included);
//   - a query that matches nothing says so;
//   - the header's search box on any page leads to the results, the filters
//     change the address, and the back button brings the query back;
//   - the zh search page opened from file:// says that search needs the
//     site served, and makes no request that fails.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { baseUrl, launch, stop, watch, at, SITE } from './lib.mjs';

let browser;
let base;

before(async () => {
	base = await baseUrl();
	browser = await launch();
});

after(async () => {
	await stop(browser);
});

// lang, query, the page expected, how high it must rank
const QUERIES = [
	['zh', '港', 'zh/china/dalian/', 3],			// one Han character
	['zh', '智慧交通', 'zh/cities/sofia/', 3],		// a four-character word
	['zh', '碳中和', 'zh/china/haikou/', 3],
	['zh', '循环经济', 'zh/webinars/2022-03-25-circular-cities/', 3],
	['zh', '曼海姆', 'zh/cities/mannheim/', 1],		// a European name in Han
	['zh', 'Mannheim', 'zh/cities/mannheim/', 1],		// ... and in Latin letters
	['en', '曼海姆', 'en/cities/mannheim/', 1],		// a Han name on the English side
	['en', '大连', 'en/china/dalian/', 1],
	['zh', 'U-CAP 广州', 'zh/pages/guangzhou-ucap/', 1],	// mixed Latin and Han
	['zh', '4.0 产业', 'zh/webinars/2022-04-29-industry/', 3],
	['en', 'Bacau', 'en/regions/bacau-county/', 1],		// Bacău without its breve
	['en', 'Bielsko-Biala', 'en/cities/bielsko-biala/', 1],	// Biała without its ł
	['en', 'port logistics', 'en/china/dalian/', 3],
	['en', 'logist', 'en/china/xian/', 3],			// a prefix
	['en', 'which pilots work on port logistics?', 'en/china/dalian/', 3],
	['zh', '哪些城市关注智慧交通？', 'zh/cities/sofia/', 3],	// a question
];

// Opens LANG/search/?q=Q and waits for search.js to finish.
async function results(page, lang, q, extra = '') {
	await page.goto(at(base, `${lang}/search/?q=${encodeURIComponent(q)}${extra}`));
	await page.waitForFunction(() => document.querySelector('[data-search]')?.dataset.done,
		null, { timeout: 15000 });
	return page.evaluate(() => ({
		done: document.querySelector('[data-search]').dataset.done,
		ms: Number(document.querySelector('[data-search]').dataset.queryMs),
		status: document.querySelector('.search-status').textContent,
		hrefs: [...document.querySelectorAll('.result h2 a')].map((a) => a.href),
		marks: [...document.querySelectorAll('.result mark')].map((m) => m.textContent),
		input: document.querySelector('#q').value,
	}));
}

// The result links as site paths: "en/china/dalian/".
function paths(hrefs) {
	return hrefs.map((h) => new URL(h).pathname.slice(new URL(base).pathname.length)
		.replace(/index\.html$/, ''));
}

for (const [lang, q, want, within] of QUERIES) {
	test(`search ${lang}: "${q}" finds ${want} within the first ${within}`, async () => {
		const page = await browser.newPage();
		const problems = watch(page);
		try {
			const r = await results(page, lang, q);
			const got = paths(r.hrefs);
			assert.equal(r.input, q, 'the query is in the box');
			const at = got.indexOf(want);
			assert.ok(at >= 0 && at < within,
				`${want} is at ${at < 0 ? 'no place' : at + 1}; first: ${got.slice(0, 5).join(' ')}`);
			assert.ok(r.marks.length > 0, 'the match is highlighted');
			assert.ok(r.ms < 100, `the query took ${r.ms} ms`);
			assert.deepEqual(problems, []);
		} finally {
			await page.close();
		}
	});
}

test('search: a query with no match says so, in both languages', async () => {
	const page = await browser.newPage();
	try {
		for (const [lang, said] of [['en', /No page matches “xyzzy qwv”/], ['zh', /没有页面包含“xyzzy qwv”/]]) {
			const r = await results(page, lang, 'xyzzy qwv');
			assert.equal(r.hrefs.length, 0);
			assert.match(r.status, said);
		}
	} finally {
		await page.close();
	}
});

test('search: the phrase must be whole: 绿色建筑 does not match a page with 绿色 and 建筑 apart', async () => {
	const page = await browser.newPage();
	try {
		const r = await results(page, 'zh', '绿色建筑');
		assert.ok(r.hrefs.length > 0);
		const texts = await page.evaluate(() => [...document.querySelectorAll('.result')]
			.map((li) => li.textContent));
		for (const t of texts) assert.match(t, /绿色建筑/);
	} finally {
		await page.close();
	}
});

test('search: the header box leads to the results; filters and back keep the address', async () => {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const problems = watch(page);
	try {
		await page.goto(at(base, 'zh/china/wuhan/index.html'));
		await page.fill('.site-search input', '港口');
		await Promise.all([page.waitForNavigation(), page.press('.site-search input', 'Enter')]);
		await page.waitForFunction(() => document.querySelector('[data-search]')?.dataset.done);
		assert.match(decodeURIComponent(page.url()), /zh\/search\/index\.html\?q=港口$/);
		const n = await page.locator('.result').count();
		assert.ok(n > 1, `${n} results`);
		// a section filter narrows the list and goes into the address
		const chip = page.locator('.filter-sections .chip', { hasText: '中方案例地区' });
		await chip.click();
		assert.match(page.url(), /[?&]section=china(&|$)/);
		const metas = await page.locator('.result-meta').allTextContents();
		assert.ok(metas.length > 0 && metas.every((m) => m.startsWith('中方案例地区')), metas.join('|'));
		// a new query from the page's own box, then back to the first
		await page.fill('#q', '曼海姆');
		await page.press('#q', 'Enter');
		await page.waitForFunction(() => document.querySelector('[data-search]').dataset.done === '曼海姆');
		assert.match(decodeURIComponent(page.url()), /\?q=曼海姆$/);
		await page.goBack();
		await page.waitForFunction(() => document.querySelector('#q').value === '港口' &&
			document.querySelector('[data-search]').dataset.done === '港口');
		assert.deepEqual(problems, []);
	} finally {
		await page.close();
	}
});

test('search: the zh search page from file:// says it needs the site served', async () => {
	const page = await browser.newPage();
	const problems = watch(page);
	try {
		const file = pathToFileURL(path.join(SITE, 'zh/search/index.html')).href + '?q=港口';
		await page.goto(file);
		await page.waitForFunction(() => document.querySelector('[data-search]')?.dataset.done);
		const status = await page.locator('.search-status').textContent();
		assert.match(status, /brochure serve/);
		assert.equal(await page.locator('.result').count(), 0);
		assert.deepEqual(problems, []);
	} finally {
		await page.close();
	}
});
