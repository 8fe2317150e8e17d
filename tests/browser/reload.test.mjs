// reload.test.mjs - live reload under `brochure serve`, in Chromium: the
// script the server adds to each page reloads the page when an edit changes
// its file, and leaves a page the edit did not touch as it is.
//
// The server runs on a copy of the golden fixture, on a free port, with
// BROCHURE_TEST_QUICK_MS=0 so that an edit to a body is shown first and
// the whole site built after it (as on a large site); two tabs are open.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, launch, stop } from './lib.mjs';

let browser;
let server;
let work;
let url;
let log = '';

// Resolves once the server's log matches re, or fails after ms.
function logged(re, ms) {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const tick = () => {
			if (re.test(log)) return resolve();
			if (Date.now() - t0 > ms) return reject(new Error(`not logged: ${re}\n${log}`));
			setTimeout(tick, 25);
		};
		tick();
	});
}

const count = (re) => (log.match(re) || []).length;

before(async () => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'brochure-reload-'));
	for (const d of ['content', 'layouts'])
		fs.cpSync(path.join(ROOT, 'tests/golden/basic', d), path.join(work, d),
			{ recursive: true });
	server = spawn(path.join(ROOT, 'brochure'), ['serve', '-C', work, '--port', '0'],
		{ env: { ...process.env, BROCHURE_TEST_QUICK_MS: '0' } });
	server.stderr.on('data', (d) => { log += d.toString(); });
	await logged(/brochure: serving (\S+)/, 15000);
	url = log.match(/brochure: serving (\S+)/)[1];
	browser = await launch();
});

after(async () => {
	await stop(browser);
	server.kill('SIGTERM');
	await new Promise((r) => server.once('exit', r));
	fs.rmSync(work, { recursive: true, force: true });
});

test('an edit reloads its open page once, and not the page beside it', async () => {
	const alpha = await browser.newPage();
	const beta = await browser.newPage();
	await alpha.goto(url + 'en/cities/alpha/');
	await beta.goto(url + 'en/cities/eta/');
	// a mark that a reload would wipe, and a count of loads
	for (const p of [alpha, beta])
		await p.evaluate(() => { window.__mark = 1; });
	let loads = 0;
	alpha.on('load', () => { loads++; });
	// the event streams are open before the edit
	await alpha.waitForTimeout(300);
	const built = count(/^brochure: built /mg);
	const file = path.join(work, 'content/cities/alpha.en.md');
	fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Alpha has trams',
		'Alpha has RELOADED trams'));
	await alpha.waitForFunction(() => document.body.textContent.includes('RELOADED'),
		null, { timeout: 3000 });
	await logged(/shown in \d+ ms; building the rest/, 3000);
	// the full build after it, and a moment for any reload it would send
	await logged(new RegExp(`(^brochure: built [^\\n]*\\n[^]*){${built + 1}}`, 'm'), 5000);
	await alpha.waitForTimeout(500);
	assert.equal(loads, 1, 'the edited page loaded once');
	assert.equal(await beta.evaluate(() => window.__mark), 1, 'the other page stayed');
	await alpha.close();
	await beta.close();
});
