// static-server.mjs - a tiny static file server for the browser tests.
//
//   node tests/browser/static-server.mjs DIR [PREFIX]
//
// Serves DIR under PREFIX (default /brochure/) on 127.0.0.1, on a port the
// system picks, and prints one line: "listening http://127.0.0.1:PORT/PREFIX/".
// Serving under a sub-path proves that the site's relative links work from
// anywhere. A directory serves its index.html (a directory asked for without
// its slash is redirected to it, as real servers do); anything missing, or
// outside PREFIX, is a 404 (inside PREFIX, the site's own 404.html when it has one). It stops on SIGTERM or SIGINT.
//
// As a module: `const { server, url } = await serve(dir, prefix)`.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.xml': 'application/xml',
	'.txt': 'text/plain; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.ico': 'image/x-icon',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf',
	'.otf': 'font/otf',
	'.pdf': 'application/pdf',
	'.webmanifest': 'application/manifest+json',
};

// Like the static hosts: a miss under the prefix gets the site's own
// 404.html (with status 404) when there is one.
function notFound(res, root) {
	const page = root && path.join(root, '404.html');
	if (page && fs.existsSync(page)) {
		res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
		res.end(fs.readFileSync(page));
		return;
	}
	res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
	res.end('404 not found\n');
}

export function handler(root, prefix) {
	root = path.resolve(root);
	return (req, res) => {
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { allow: 'GET, HEAD' });
			res.end();
			return;
		}
		let pathname;
		try {
			pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
		} catch {
			res.writeHead(400);
			res.end();
			return;
		}
		if (pathname === prefix.slice(0, -1)) {
			res.writeHead(301, { location: prefix });
			res.end();
			return;
		}
		if (!pathname.startsWith(prefix) || pathname.includes('\0')) {
			notFound(res);
			return;
		}
		let file = path.join(root, pathname.slice(prefix.length));
		if (file !== root && !file.startsWith(root + path.sep)) {
			notFound(res);
			return;
		}
		let st;
		try {
			st = fs.statSync(file);
			if (st.isDirectory()) {
				if (!pathname.endsWith('/')) {
					res.writeHead(301, { location: pathname + '/' });
					res.end();
					return;
				}
				file = path.join(file, 'index.html');
				st = fs.statSync(file);
			}
		} catch {
			notFound(res, root);
			return;
		}
		if (!st.isFile()) {
			notFound(res, root);
			return;
		}
		const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
		res.writeHead(200, {
			'content-type': type,
			'content-length': st.size,
			'cache-control': 'no-store',
		});
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		fs.createReadStream(file).pipe(res);
	};
}

export function serve(root, prefix = '/brochure/') {
	if (!prefix.startsWith('/')) prefix = '/' + prefix;
	if (!prefix.endsWith('/')) prefix += '/';
	const server = http.createServer(handler(root, prefix));
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({ server, url: `http://127.0.0.1:${port}${prefix}` });
		});
	});
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const [dir, prefix] = process.argv.slice(2);
	if (!dir || !fs.existsSync(dir)) {
		console.error('usage: node static-server.mjs DIR [PREFIX]');
		process.exit(2);
	}
	const { server, url } = await serve(dir, prefix);
	console.log(`listening ${url}`);
	const stop = () => {
		server.close(() => process.exit(0));
		server.closeAllConnections();
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}
