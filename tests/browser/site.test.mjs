// site.test.mjs - a reader's way through the site in a real browser, and
// screenshots of the main pages at a phone's and a desktop's width.
//
// The way: the cover, into English, a profile from the home page (the first
// of the Cities of Europe), one of its cluster tags, another member of that
// cluster, the same page in Chinese, and a partner of a Chinese profile.
// Every step checks <html lang>, a non-empty title of its own, and that no
// request failed (status 400 or more) and no console error or uncaught
// exception happened. Such a failure fails its step and the way goes on; a
// step whose link could not be found or followed stops it, and the steps
// after it are skipped.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
	baseUrl, launch, stop, watch, sitePath, at, open, ensureDir, SCREENSHOTS,
} from './lib.mjs';

const PROFILE = /^(en|zh)\/(cities|regions|china)\/[^/]+\/$/;
const CLICK = { timeout: 10000 };

let browser;
let base;

before(async () => {
	base = await baseUrl();
	browser = await launch();
});

after(async () => {
	await stop(browser);
});

function noProblems(problems, where) {
	assert.ok(problems.length === 0,
		`${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}\n`
		+ `${problems.length} failed request(s) or error(s) on ${where}:\n`
		+ problems.map((x) => `    ${x}`).join('\n'));
}

// The address a link leads to, as the browser resolves it.
async function hrefOf(locator) {
	return locator.evaluate((a) => a.href);
}

// Clicks a link and waits for the page it leads to to load.
async function follow(page, locator) {
	const href = await hrefOf(locator);
	await locator.click(CLICK);
	await page.waitForURL(href, { waitUntil: 'load' });
	return href;
}

test('a reader\'s way: cover, English, profile, cluster, member, Chinese, partner', async (t) => {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const problems = watch(page);
	const titles = new Map();	// title -> site path of the first page with it
	let broken = false;

	// Runs one step as a subtest; once a step could not follow its link,
	// the rest are skipped.
	async function step(name, lang, fn) {
		await t.test(name, async (st) => {
			if (broken) {
				st.skip('an earlier step failed');
				return;
			}
			problems.length = 0;
			try {
				await fn();
			} catch (e) {
				broken = true;
				throw e;
			}
			// what follows fails the step, but the way goes on
			const p = sitePath(page.url(), base) || 'the cover';
			const htmlLang = await page.getAttribute('html', 'lang');
			if (Array.isArray(lang)) {
				assert.ok(lang.includes(htmlLang), `<html lang> of ${p} is "${htmlLang}", not one of ${lang.join(', ')}`);
			} else {
				assert.equal(htmlLang, lang, `<html lang> of ${p}`);
			}
			const title = (await page.title()).trim();
			assert.ok(title.length > 0, `the title of ${p} is empty`);
			assert.ok(!titles.has(title),
				`${p} has the same title as ${titles.get(title)}: "${title}"`);
			titles.set(title, p);
			noProblems(problems, p);
		});
	}

	let profilePath;
	let memberPath;

	await step('the cover opens', ['en', 'zh-Hans'], async () => {
		const r = await open(page, base);
		assert.equal(r.status(), 200, 'the cover\'s status');
		assert.equal(sitePath(page.url(), base), '');
		const langs = await page.locator('a[hreflang]').evaluateAll(
			(as) => as.map((a) => a.getAttribute('hreflang')));
		assert.ok(langs.includes('en') && langs.includes('zh-Hans'),
			`the cover leads into both languages (links with hreflang: ${langs.join(', ')})`);
	});

	await step('the cover\'s English link leads to the English home', 'en', async () => {
		await follow(page, page.locator('a[hreflang="en"]').first());
		assert.equal(sitePath(page.url(), base), 'en/');
	});

	await step('the home page leads to the first of the Cities of Europe', 'en', async () => {
		// the map's markers are a way in too (edition.test.mjs follows one)
		const links = page.locator('main a[href]:not(svg a)');
		const hrefs = await links.evaluateAll((as) => as.map((a) => a.href));
		const i = hrefs.findIndex((h) => /^en\/cities\/[^/]+\/$/.test(sitePath(h, base)));
		assert.ok(i >= 0, 'no link to a profile of the Cities of Europe in <main> of en/');
		await follow(page, links.nth(i));
		profilePath = sitePath(page.url(), base);
		assert.match(profilePath, /^en\/cities\/[^/]+\/$/);
		assert.ok(await page.locator('h1').count() > 0, `${profilePath} has an <h1>`);
	});

	await step('a cluster tag of the profile leads to the cluster', 'en', async () => {
		const tag = page.locator('a.tag').first();
		assert.ok(await tag.count() > 0, `no a.tag on ${profilePath}`);
		await follow(page, tag);
		assert.match(sitePath(page.url(), base), /^en\/clusters\/[^/]+\/$/);
	});

	await step('the cluster lists the profile and leads to another member', 'en', async () => {
		const members = page.locator('ul.members a[href]');
		const hrefs = await members.evaluateAll((as) => as.map((a) => a.href));
		const paths = hrefs.map((h) => sitePath(h, base));
		assert.ok(paths.includes(profilePath),
			`the cluster ${sitePath(page.url(), base)} does not list ${profilePath} in ul.members`);
		const i = paths.findIndex((p) => PROFILE.test(p) && p !== profilePath);
		assert.ok(i >= 0, 'no other profile in ul.members');
		await follow(page, members.nth(i));
		memberPath = sitePath(page.url(), base);
		assert.match(memberPath, /^en\/(cities|regions|china)\/[^/]+\/$/);
	});

	await step('the language switch leads to the same page in Chinese', 'zh-Hans', async () => {
		const sw = page.locator('nav.lang-switch a[hreflang="zh-Hans"]');
		assert.ok(await sw.count() > 0, `no nav.lang-switch a[hreflang="zh-Hans"] on ${memberPath}`);
		await follow(page, sw.first());
		assert.equal(sitePath(page.url(), base), memberPath.replace(/^en\//, 'zh/'));
	});

	await step('a partner link of a Chinese profile leads to the partner', 'zh-Hans', async () => {
		let partners = page.locator('section.partners a[href]');
		if (await partners.count() === 0) {
			// this member has no partner with a page: Yangzhou has
			await open(page, at(base, 'zh/china/yangzhou/index.html'));
			partners = page.locator('section.partners a[href]');
		}
		const from = sitePath(page.url(), base);
		assert.ok(await partners.count() > 0, `no link in section.partners on ${from}`);
		await follow(page, partners.first());
		const to = sitePath(page.url(), base);
		assert.match(to, PROFILE, `the partner link on ${from} leads to ${to}`);
		assert.notEqual(to, from);
		assert.match(to, /^zh\//, 'a Chinese page\'s partner link stays in Chinese');
	});

	await page.close();
});

// Screenshots: the home, a profile and the partnerships page, in both
// languages, at 375 px and 1280 px wide, of the full page.
const SHOTS = [
	{ name: 'home', path: 'index.html' },
	{ name: 'profile-yangzhou', path: 'china/yangzhou/index.html' },
	{ name: 'partners', path: 'partners/index.html' },
];

for (const lang of ['en', 'zh']) {
	for (const shot of SHOTS) {
		for (const width of [375, 1280]) {
			test(`screenshot ${lang}/${shot.path} at ${width}px`, async (t) => {
				const page = await browser.newPage({ viewport: { width, height: 800 } });
				const problems = watch(page);
				try {
					const url = at(base, `${lang}/${shot.path}`);
					const r = await open(page, url);
					assert.equal(r.status(), 200, `status of ${lang}/${shot.path}`);
					await page.evaluate(() => document.fonts.ready);
					const file = path.join(ensureDir(SCREENSHOTS), `${lang}-${shot.name}-${width}.png`);
					await page.screenshot({ path: file, fullPage: true });
					t.diagnostic(`screenshot: ${file}`);
					noProblems(problems, `${lang}/${shot.path}`);
				} finally {
					await page.close();
				}
			});
		}
	}
}
