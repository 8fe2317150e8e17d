// a11y.test.mjs - axe-core on the main kinds of page, in both languages.
//
// One test per page: the cover, and in each language the home, a profile,
// the partnerships page, a cluster and a webinar. A violation of impact
// "serious" or "critical" fails the page; each is printed with its rule,
// impact, the elements it was found on and axe's explanation, so that the
// layout can be fixed. Moderate and minor ones are listed as diagnostics.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { baseUrl, launch, stop, at, open, AXE, SITE } from './lib.mjs';

// The first webinar (by its directory name) of a language, so that the test
// follows the content rather than naming one.
function firstWebinar(lang) {
	const dir = path.join(SITE, lang, 'webinars');
	const ids = fs.existsSync(dir)
		? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'index.html'))).sort()
		: [];
	return ids.length ? `${lang}/webinars/${ids[0]}/index.html` : `${lang}/webinars/(none)/index.html`;
}

const PAGES = ['index.html'];
for (const lang of ['en', 'zh']) {
	PAGES.push(
		`${lang}/index.html`,
		`${lang}/china/yangzhou/index.html`,
		`${lang}/partners/index.html`,
		`${lang}/clusters/technologies-4-0/index.html`,
		firstWebinar(lang),
	);
}

const FAILING = new Set(['serious', 'critical']);

let browser;
let base;

before(async () => {
	base = await baseUrl();
	browser = await launch();
});

after(async () => {
	await stop(browser);
});

function describe(v) {
	const lines = [`${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`];
	for (const n of v.nodes.slice(0, 10)) {
		lines.push(`    at ${n.target.join(' ')}: ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`);
		if (n.failureSummary) {
			lines.push(`       ${n.failureSummary.replace(/\s*\n\s*/g, ' / ')}`);
		}
	}
	if (v.nodes.length > 10) lines.push(`    ... and ${v.nodes.length - 10} more elements`);
	return lines.join('\n');
}

for (const p of PAGES) {
	test(`axe: ${p}`, async (t) => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		try {
			const r = await open(page, at(base, p));
			assert.equal(r.status(), 200, `status of ${p}`);
			await page.addScriptTag({ path: AXE });
			const violations = await page.evaluate(async () => {
				// eslint-disable-next-line no-undef
				const res = await axe.run(document, { resultTypes: ['violations'] });
				return res.violations.map((v) => ({
					id: v.id,
					impact: v.impact,
					help: v.help,
					helpUrl: v.helpUrl,
					nodes: v.nodes.map((n) => ({
						target: n.target.map(String),
						html: n.html,
						failureSummary: n.failureSummary,
					})),
				}));
			});
			for (const v of violations.filter((x) => !FAILING.has(x.impact))) {
				t.diagnostic(`${p}: ${describe(v)}`);
			}
			const bad = violations.filter((x) => FAILING.has(x.impact));
			const where = (v) => v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')
				+ (v.nodes.length > 3 ? ', ...' : '');
			assert.ok(bad.length === 0,
				bad.map((v) => `${v.id} (${v.impact}) at ${where(v)}`).join('; ') + '\n'
				+ `${bad.length} serious or critical axe violation(s) on ${p}:\n`
				+ bad.map(describe).join('\n'));
		} finally {
			await page.close();
		}
	});
}
