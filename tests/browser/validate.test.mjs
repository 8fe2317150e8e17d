// validate.test.mjs - the Nu HTML Checker (vnu.jar, from the vnu-jar
// package) on every .html file of the built site, run once:
//
//   java -jar tests/node_modules/vnu-jar/build/dist/vnu.jar \
//        --errors-only --format gnu --skip-non-html SITE
//
// One test per HTML file: it passes with no error; a failure lists each
// error as "LINE.COL: message". A further test checks that the checker ran
// and that every line it printed was about a file of the site.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE, VNU } from './lib.mjs';

function htmlFiles(dir) {
	const out = [];
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) out.push(...htmlFiles(p));
		else if (/\.html?$/.test(e.name)) out.push(p);
	}
	return out;
}

const files = fs.existsSync(SITE) ? htmlFiles(SITE).sort() : [];
const run = spawnSync(process.env.JAVA || 'java',
	['-Xss4m', '-jar', VNU, '--errors-only', '--format', 'gnu', '--skip-non-html', SITE],
	{ encoding: 'utf8', maxBuffer: 64 << 20, timeout: 180000 });
const output = `${run.stdout || ''}${run.stderr || ''}`;

// "file:/abs/path.html":12.3-12.50: error: message
const LINE = /^"([^"]+)":(\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?):\s*(.*)$/;
const errors = new Map();
const stray = [];
for (const line of output.split('\n')) {
	if (!line.trim()) continue;
	const m = LINE.exec(line);
	if (!m) {
		stray.push(line);
		continue;
	}
	let file = m[1];
	if (file.startsWith('file:')) file = fileURLToPath(file);
	file = path.resolve(file);
	if (!errors.has(file)) errors.set(file, []);
	errors.get(file).push(`${m[2]}: ${m[3]}`);
}

test('vnu: the checker ran on the site', () => {
	assert.ok(files.length > 0, `no .html file under ${SITE}`);
	assert.ok(fs.existsSync(VNU), `no ${VNU}: npm ci --prefix tests`);
	assert.equal(run.error, undefined, `java: ${run.error}`);
	assert.ok(run.status === 0 || run.status === 1,
		`vnu exited ${run.status}${run.signal ? ` (${run.signal})` : ''}:\n${output.slice(0, 2000)}`);
	const outside = [...errors.keys()].filter((f) => !files.includes(f));
	assert.deepEqual([...stray, ...outside], [], 'vnu printed lines about no file of the site');
});

for (const file of files) {
	const rel = path.relative(SITE, file);
	test(`vnu: ${rel}`, () => {
		const e = errors.get(file) || [];
		assert.ok(e.length === 0,
			`${e[0]}${e.length > 1 ? ` (and ${e.length - 1} more)` : ''}\n`
			+ `${e.length} HTML error(s) in ${rel}:\n${e.map((x) => `    ${rel}:${x}`).join('\n')}`);
	});
}
