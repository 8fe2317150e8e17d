// lib.mjs - what the browser tests share: where the site is, the browser,
// and a watch on every page for failed requests and errors.
//
// Environment (tests/browser/run.sh sets them):
//   BROCHURE_SITE  the built site (default: site/)
//   BROCHURE_URL   where it is served, ending in / (default: served here,
//                  by static-server.mjs, under /brochure/)
//   CHROMIUM       the browser (default: /usr/bin/chromium, Debian's)
//   SCREENSHOTS    where the PNGs go (default: .build/browser/screenshots/)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';

export const TESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(TESTS, '..');
export const SITE = path.resolve(ROOT, process.env.BROCHURE_SITE || 'site');
export const SCREENSHOTS = path.resolve(ROOT,
	process.env.SCREENSHOTS || '.build/browser/screenshots');
export const AXE = path.join(TESTS, 'node_modules/axe-core/axe.min.js');
export const VNU = path.join(TESTS, 'node_modules/vnu-jar/build/dist/vnu.jar');
export const LANGS = [
	{ lang: 'en', tag: 'en' },
	{ lang: 'zh', tag: 'zh-Hans' },
];

// Never downloads a browser: Debian's Chromium, driven by playwright-core.
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

let own = null;

// The site's address, ending in /: BROCHURE_URL, or a server started here.
export async function baseUrl() {
	if (process.env.BROCHURE_URL) {
		const u = process.env.BROCHURE_URL;
		return u.endsWith('/') ? u : u + '/';
	}
	if (!own) {
		if (!fs.existsSync(path.join(SITE, 'index.html'))) {
			throw new Error(`no site at ${SITE}: build it first (./brochure build)`);
		}
		own = await serve(SITE, '/brochure/');
	}
	return own.url;
}

// A fresh browser; playwright-core gives it a fresh, temporary profile.
export async function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: CHROMIUM_ARGS,
		timeout: 60000,
	});
}

export async function stop(browser) {
	if (browser) await browser.close();
	if (own) {
		own.server.closeAllConnections();
		await new Promise((resolve) => own.server.close(resolve));
		own = null;
	}
}

// Records, for one page, every response of status 400 or more, every request
// that failed, every console error and every uncaught exception. Each
// problem is a line that names the page it happened on.
export function watch(page) {
	const problems = [];
	const where = () => page.url();
	page.on('response', (r) => {
		if (r.status() >= 400) {
			problems.push(`HTTP ${r.status()} ${r.url()} (on ${where()})`);
		}
	});
	page.on('requestfailed', (r) => {
		problems.push(`request failed: ${r.url()}: ${r.failure()?.errorText} (on ${where()})`);
	});
	page.on('console', (m) => {
		if (m.type() === 'error') {
			const loc = m.location();
			problems.push(`console error: ${m.text()} (${loc.url || where()}:${loc.lineNumber})`);
		}
	});
	page.on('pageerror', (e) => {
		problems.push(`page error: ${e.message} (on ${where()})`);
	});
	return problems;
}

// The path of a page's URL below the site's address, without index.html:
// "en/china/yangzhou/".
export function sitePath(url, base) {
	const u = new URL(url);
	const b = new URL(base);
	let p = u.pathname;
	if (!p.startsWith(b.pathname)) return p;
	p = p.slice(b.pathname.length);
	return p.replace(/(^|\/)index\.html$/, '$1');
}

// The address of a page named by its path below the site.
export function at(base, p) {
	return new URL(p, base).href;
}

// Opens a page and waits until it and everything it loads have arrived.
export async function open(page, url) {
	const r = await page.goto(url, { waitUntil: 'load' });
	return r;
}

export function ensureDir(dir) {
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}
