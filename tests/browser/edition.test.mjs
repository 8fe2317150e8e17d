// edition.test.mjs - the web edition as its readers get it, in both
// languages: what the pages say and how they set it, read from the pages
// Chromium renders (every HTML page of the site, the print edition aside).
//
//   - no photo credit without its photo: every "©" on a page sits inside a
//     <figure> with its <img> (About the data lists the printed editions'
//     credits, said to be not reproduced, and is the one exception);
//   - no straight apostrophe or quotation mark in English text, no
//     half-width , ; : ! ? next to a Han character in Chinese text;
//   - every content page links its neighbours in the section, and every
//     page links the print edition, About the data and its language's PDF;
//   - Chinese lists put China first (cluster pages);
//   - no editors' note ("Sources:", "资料说明") on a public page;
//   - the 404 page, served for a missing address under the site's sub-path,
//     is styled and offers both languages, and its links lead home;
//   - the Chinese partnerships diagram has China on the left.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { baseUrl, launch, stop, watch, at, open, SITE } from './lib.mjs';

let browser;
let base;

before(async () => {
	base = await baseUrl();
	browser = await launch();
});

after(async () => {
	await stop(browser);
});

// Every HTML page of the site below lang/, as site paths.
function pages(lang) {
	const out = [];
	const walk = (dir, rel) => {
		for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
			const r = rel ? `${rel}/${e.name}` : e.name;
			if (e.isDirectory()) walk(path.join(dir, e.name), r);
			else if (e.name.endsWith('.html') && !r.includes('/print/')) out.push(r);
		}
	};
	walk(path.join(SITE, lang), lang);
	return out.sort();
}

// The text of a page as a reader sees it, without code and scripts.
async function textOf(page) {
	return page.evaluate(() => {
		const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		const out = [];
		for (let n = w.nextNode(); n; n = w.nextNode()) {
			if (n.parentElement.closest('script, style, code, pre')) continue;
			out.push(n.nodeValue);
		}
		return out.join('');
	});
}

const HAN = '[\u3400-\u4dbf\u4e00-\u9fff]';
const HALF = new RegExp(`${HAN}[,;:!?]|[,;:!?]${HAN}`, 'g');

for (const lang of ['en', 'zh']) {
	test(`${lang}: every page, as a reader reads it`, async (t) => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		const problems = watch(page);
		for (const p of pages(lang)) {
			await t.test(p, async () => {
				problems.length = 0;
				await open(page, at(base, p));
				const text = await textOf(page);
				if (lang === 'en') {
					const m = text.match(/.{0,20}['"].{0,20}/);
					assert.equal(m, null, `a straight quote in English text: "${m && m[0]}"`);
				} else {
					const m = [...text.matchAll(HALF)].map((x) => x[0]);
					assert.deepEqual(m, [], `half-width punctuation next to Han characters: ${m.join(' ')}`);
				}
				// no editors' notes on the page
				const notes = await page.locator('.source').count();
				assert.equal(notes, 0, 'an editors\' note (.source) on a public page');
				// credits only beside their photos
				if (!p.includes('/about-data/')) {
					const loose = await page.evaluate(() => {
						const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
						const out = [];
						for (let n = w.nextNode(); n; n = w.nextNode()) {
							if (!n.nodeValue.includes('\u00a9')) continue;
							const fig = n.parentElement.closest('figure');
							if (!fig || !fig.querySelector('img')) out.push(n.nodeValue.trim());
						}
						return out;
					});
					assert.deepEqual(loose, [], 'a photo credit without its photo');
				}
				// the way out: print edition, About the data, the PDF
				for (const sel of ['.site-footer a[href$="print/index.html"]',
					'.site-footer a[href$="about-data/index.html"]',
					`.site-footer a[href$="iurc-brochure.${lang}.pdf"]`]) {
					assert.equal(await page.locator(sel).count(), 1, `no footer link ${sel}`);
				}
				const pdf = await page.locator('.site-footer .pages').textContent();
				assert.match(pdf, /\d/, 'the PDF link gives its page count');
				// a request the previous page left when we moved on is no fault
				const real = problems.filter((x) => !x.includes('net::ERR_ABORTED'));
				assert.deepEqual(real, [], real.join('\n'));
			});
		}
		await page.close();
	});

	test(`${lang}: content pages link their neighbours in the section`, async () => {
		const page = await browser.newPage();
		const list = pages(lang).filter((p) => /^(en|zh)\/(cities|regions|china|webinars|study-visits|case-studies)\/[^/]+\/index\.html$/.test(p));
		assert.ok(list.length > 40, `${list.length} content pages`);
		for (const p of list.slice(0, 3).concat(list.slice(-3))) {
			await open(page, at(base, p));
			const n = await page.locator('nav.pager a[rel="prev"], nav.pager a[rel="next"]').count();
			assert.ok(n >= 1, `${p}: no previous or next link`);
		}
		// the first of a section has no previous, the second has both
		await open(page, at(base, `${lang}/cities/barcelona/index.html`));
		assert.equal(await page.locator('nav.pager a[rel="prev"]').count(), 0);
		await page.locator('nav.pager a[rel="next"]').click();
		await page.waitForURL(/\/cities\/bari\/index\.html$/);
		assert.equal(await page.locator('nav.pager a[rel="prev"]').count(), 1);
		await page.close();
	});
}

test('zh: cluster pages list the Chinese pilots first', async () => {
	const page = await browser.newPage();
	let checked = 0;
	for (const p of pages('zh').filter((x) => /^zh\/clusters\/[^/]+\/index\.html$/.test(x))) {
		await open(page, at(base, p));
		const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
		const kinds = hrefs.map((h) => (h.match(/\/zh\/(china|cities|regions)\//) || [])[1]).filter(Boolean);
		if (!kinds.includes('china') || kinds.every((k) => k === 'china')) continue;
		const firstEu = kinds.findIndex((k) => k !== 'china');
		const lastCn = kinds.lastIndexOf('china');
		assert.ok(lastCn < firstEu, `${p}: a European pilot before a Chinese one (${kinds.join(' ')})`);
		checked++;
	}
	assert.ok(checked >= 5, `${checked} mixed cluster pages checked`);
	await page.close();
});

test('zh: the partnerships diagram has China on the left', async () => {
	const page = await browser.newPage();
	await open(page, at(base, 'zh/partners/index.html'));
	const sides = await page.locator('svg text.side').allTextContents();
	assert.deepEqual(sides, ['中国', '欧洲']);
	await open(page, at(base, 'en/partners/index.html'));
	assert.deepEqual(await page.locator('svg text.side').allTextContents(), ['Europe', 'China']);
	await page.close();
});

test('the 404 page: styled under a sub-path, both languages, links home', async () => {
	const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
	const r = await page.goto(at(base, 'no/such/page/'), { waitUntil: 'networkidle' });
	assert.equal(r.status(), 404);
	const bg = await page.locator('header').evaluate((e) => getComputedStyle(e).backgroundColor);
	assert.equal(bg, 'rgb(10, 75, 132)', 'the 404 page carries its styles');
	assert.deepEqual(await page.locator('section[lang]').evaluateAll((s) => s.map((x) => x.lang)), ['en', 'zh-Hans']);
	const home = await page.locator('section[lang="zh-Hans"] a.home').evaluate((a) => a.href);
	assert.equal(home, at(base, 'zh/index.html'), 'the link leads to the site\'s home under its sub-path');
	await page.close();
});

// The photo fixture (tests/browser/run.sh builds it from a picture it makes):
// the photo comes in the size the screen needs, with its width and height
// set, lazily, and its credit in its caption, in both languages.
test('a photo: srcset, sizes set, credit in its caption, both languages', async (t) => {
	const fixture = process.env.PHOTO_URL;
	if (!fixture) {
		t.skip('no PHOTO_URL (run through tests/browser/run.sh)');
		return;
	}
	for (const [lang, w, alt, caption] of [['en', 390, 'A test picture of Barcelona', 'A superblock'],
		['zh', 1280, '巴塞罗那测试图片', '超级街区']]) {
		const page = await browser.newPage({ viewport: { width: w, height: 900 } });
		const problems = watch(page);
		await open(page, at(fixture, `${lang}/cities/barcelona/index.html`));
		const img = page.locator('figure.photo img');
		assert.equal(await img.count(), 1, `${lang}: one photo`);
		await img.scrollIntoViewIfNeeded();
		await page.waitForFunction(() => document.querySelector('figure.photo img').complete);
		const info = await img.evaluate((i) => ({
			srcset: i.getAttribute('srcset'), loading: i.loading, alt: i.alt,
			width: i.getAttribute('width'), height: i.getAttribute('height'),
			natural: i.naturalWidth, current: i.currentSrc,
		}));
		assert.deepEqual(info.srcset.split(', ').map((x) => x.split(' ')[1]), ['480w', '960w', '1440w']);
		assert.equal(info.loading, 'lazy');
		assert.equal(info.alt, alt);
		assert.deepEqual([info.width, info.height], ['960', '600']);
		assert.ok(info.natural > 0, `${lang}: the photo loaded`);
		if (w === 390) assert.match(info.current, /-(480|960)\.png$/, 'a phone gets a small file');
		const cap = await page.locator('figure.photo figcaption').textContent();
		assert.equal(cap.replace(/\s+/g, ' ').trim(), `${caption} © Test Photographer, CC BY 4.0`);
		const real = problems.filter((x) => !x.includes('net::ERR_ABORTED'));
		assert.deepEqual(real, [], real.join('\n'));
		await page.close();
	}
});

test('a phone: the header takes under 15% of a 390×844 screen', async () => {
	const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
	for (const p of ['en/index.html', 'zh/index.html', 'en/cities/mannheim/index.html', 'zh/china/wuhan/index.html']) {
		await open(page, at(base, p));
		const h = await page.locator('.site-header').evaluate((e) => e.getBoundingClientRect().height);
		assert.ok(h < 844 * 0.15, `${p}: the header is ${h}px tall`);
	}
	await page.close();
});

// The programme map: every marker a link a keyboard reaches, leading to
// its pilot's page, in both languages.
test('the programme map: its markers are links that Tab reaches and that lead home', async () => {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	for (const lang of ['en', 'zh']) {
		await open(page, at(base, `${lang}/index.html`));
		const n = await page.locator('svg.programme-map a').count();
		assert.equal(n, 44, `${lang}: 44 markers`);
		// Tab from the map's caption backwards reaches the last marker
		await page.locator('svg.programme-map a').last().focus();
		const focused = await page.evaluate(() => document.activeElement.closest('svg') !== null);
		assert.ok(focused, `${lang}: a marker takes the keyboard focus`);
		await page.keyboard.press('Enter');
		await page.waitForURL(new RegExp(`/${lang}/(cities|regions|china)/[^/]+/index\\.html$`));
		assert.equal(await page.locator('figure.locator').count(), 1, `${lang}: the pilot's page has its locator`);
	}
	await page.close();
});
