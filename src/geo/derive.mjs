// derive.mjs - the base geography of the brochure's maps, derived from
// Natural Earth (public domain) as packaged by world-atlas (ISC licence,
// Mike Bostock) at 1:50m, and written to layouts/geo/PANEL.json.
//
//   node src/geo/derive.mjs NODE_MODULES OUTDIR      (make geo runs it)
//
// Two panels, each in a projection that suits it: Europe in a Lambert
// azimuthal equal-area centred on 10°E 52°N (as EPSG:3035), China in an
// Albers equal-area conic (parallels 25°N and 47°N, meridian 105°E). Each
// file holds the projection and its fit (so that src/geo.c places a point
// exactly where this script draws the land), the land as one SVG path,
// the borders between countries as another, and, for Europe, each
// country of the programme as a path of its own (the locator maps shade
// it). Paths are in the panel's pixels, simplified to about a pixel and
// rounded to a tenth. No country is filled on its own in the China panel:
// the land is one colour, and no border is drawn between the mainland and
// Hong Kong, Macao or Taiwan.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [modules, outdir] = process.argv.slice(2);
const require = createRequire(path.resolve(modules, 'x.js'));
const topojson = require('topojson-client');
const world = require('world-atlas/countries-50m.json');
const land50 = require('world-atlas/land-50m.json');

const RAD = Math.PI / 180;
function laea(p) {
	const f0 = p.lat0 * RAD, l0 = p.lon0 * RAD;
	return (lon, lat) => {
		const f = lat * RAD, dl = lon * RAD - l0;
		const k = Math.sqrt(2 / (1 + Math.sin(f0) * Math.sin(f) + Math.cos(f0) * Math.cos(f) * Math.cos(dl)));
		return [k * Math.cos(f) * Math.sin(dl), k * (Math.cos(f0) * Math.sin(f) - Math.sin(f0) * Math.cos(f) * Math.cos(dl))];
	};
}
function albers(p) {
	const f1 = p.lat1 * RAD, f2 = p.lat2 * RAD, f0 = p.lat0 * RAD, l0 = p.lon0 * RAD;
	const n = (Math.sin(f1) + Math.sin(f2)) / 2;
	const C = Math.cos(f1) ** 2 + 2 * n * Math.sin(f1);
	const r0 = Math.sqrt(C - 2 * n * Math.sin(f0)) / n;
	return (lon, lat) => {
		const r = Math.sqrt(C - 2 * n * Math.sin(lat * RAD)) / n;
		const t = n * (lon * RAD - l0);
		return [r * Math.sin(t), r0 - r * Math.cos(t)];
	};
}

// numeric ISO 3166 codes of world-atlas -> the alpha-2 codes of site.yaml
const EU = {
	'040': 'AT', '056': 'BE', '100': 'BG', '196': 'CY', '203': 'CZ', '276': 'DE',
	'208': 'DK', '233': 'EE', '724': 'ES', '246': 'FI', '250': 'FR', '300': 'GR',
	'191': 'HR', '348': 'HU', '372': 'IE', '380': 'IT', '440': 'LT', '442': 'LU',
	'428': 'LV', '470': 'MT', '528': 'NL', '616': 'PL', '620': 'PT', '642': 'RO',
	'752': 'SE', '705': 'SI', '703': 'SK',
};
const CHINA_PARTS = new Set(['156', '344', '446', '158']);

const PANELS = [
	{ name: 'europe', height: 520,
	  projection: { type: 'laea', lon0: 10, lat0: 52 },
	  extent: [[-10.5, 35.5], [30.5, 35.5], [-10.5, 57], [30.5, 57], [10, 58.5], [10, 34.5]] },
	{ name: 'china', height: 520,
	  projection: { type: 'albers', lon0: 105, lat0: 0, lat1: 25, lat2: 47 },
	  extent: [[96, 43], [127, 45], [110, 17.5], [126, 36], [97, 21], [97, 34]] },
];

function fit(panel) {
	const proj = panel.projection.type === 'laea' ? laea(panel.projection) : albers(panel.projection);
	const pts = panel.extent.map(([lo, la]) => proj(lo, la));
	const minx = Math.min(...pts.map((p) => p[0])), maxx = Math.max(...pts.map((p) => p[0]));
	const miny = Math.min(...pts.map((p) => p[1])), maxy = Math.max(...pts.map((p) => p[1]));
	// both panels as tall as each other, each as wide as its region needs
	const s = panel.height / (maxy - miny);
	const width = Math.round((maxx - minx) * s);
	return { proj, minx, maxy, s, width, xy: (lo, la) => {
		const [x, y] = proj(lo, la);
		return [(x - minx) * s, (maxy - y) * s];
	} };
}

// Sutherland-Hodgman: a ring clipped to the rectangle [x0,x1]x[y0,y1]
function clipRing(pts, x0, y0, x1, y1) {
	const edges = [
		[(p) => p[0] >= x0, (a, b) => [x0, a[1] + (b[1] - a[1]) * (x0 - a[0]) / (b[0] - a[0])]],
		[(p) => p[0] <= x1, (a, b) => [x1, a[1] + (b[1] - a[1]) * (x1 - a[0]) / (b[0] - a[0])]],
		[(p) => p[1] >= y0, (a, b) => [a[0] + (b[0] - a[0]) * (y0 - a[1]) / (b[1] - a[1]), y0]],
		[(p) => p[1] <= y1, (a, b) => [a[0] + (b[0] - a[0]) * (y1 - a[1]) / (b[1] - a[1]), y1]],
	];
	let out = pts;
	for (const [inside, cut] of edges) {
		const src = out;
		out = [];
		for (let i = 0; i < src.length; i++) {
			const a = src[(i + src.length - 1) % src.length], b = src[i];
			if (inside(b)) {
				if (!inside(a)) out.push(cut(a, b));
				out.push(b);
			} else if (inside(a)) {
				out.push(cut(a, b));
			}
		}
		if (out.length === 0) break;
	}
	return out;
}

// a line cut into the pieces that lie inside the rectangle
function clipLine(pts, x0, y0, x1, y1) {
	const inside = (p) => p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1;
	const pieces = [];
	let cur = [];
	for (const p of pts) {
		if (inside(p)) cur.push(p);
		else if (cur.length) { pieces.push(cur); cur = []; }
	}
	if (cur.length) pieces.push(cur);
	return pieces;
}

// one ring or line as path data: projected, clipped to the panel (with a
// small margin), points within 1.2 pixels of the last dropped
function pathOf(coords, xy, w, h, closed) {
	const m = 8;
	let pts = coords.map(([lo, la]) => xy(lo, la)).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
	const f = (v) => (Math.round(v * 10) / 10).toString();
	const thin = (ps) => {
		const keep = [];
		for (const p of ps) {
			const l = keep[keep.length - 1];
			if (!l || Math.hypot(p[0] - l[0], p[1] - l[1]) >= 1.2) keep.push(p);
		}
		return keep;
	};
	if (closed) {
		pts = thin(clipRing(pts, -m, -m, w + m, h + m));
		if (pts.length < 3) return '';
		return 'M' + pts.map((p) => `${f(p[0])} ${f(p[1])}`).join('L') + 'Z';
	}
	return clipLine(pts, -m, -m, w + m, h + m).map(thin).filter((ps) => ps.length >= 2)
		.map((ps) => 'M' + ps.map((p) => `${f(p[0])} ${f(p[1])}`).join('L')).join('');
}

function geomPath(g, xy, w, h) {
	const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
	return polys.flatMap((poly) => poly.map((ring) => pathOf(ring, xy, w, h, true))).join('');
}

fs.mkdirSync(outdir, { recursive: true });
const landGeom = topojson.merge(land50, land50.objects.land.geometries);
const borders = topojson.mesh(world, world.objects.countries, (a, b) => a !== b &&
	!(CHINA_PARTS.has(a.id) && CHINA_PARTS.has(b.id)));
for (const panel of PANELS) {
	const f = fit(panel);
	const out = {
		name: panel.name,
		source: 'Natural Earth 1:50m (public domain), from the npm package world-atlas 2.0.2 (ISC); derived by src/geo/derive.mjs',
		projection: panel.projection,
		minx: f.minx, maxy: f.maxy, scale: f.s, width: f.width, height: panel.height,
		land: geomPath(landGeom, f.xy, f.width, panel.height),
		borders: borders.coordinates.map((line) => pathOf(line, f.xy, f.width, panel.height, false)).join(''),
		countries: {},
	};
	if (panel.name === 'europe') {
		for (const g of topojson.feature(world, world.objects.countries).features) {
			if (EU[g.id]) out.countries[EU[g.id]] = geomPath(g.geometry, f.xy, f.width, panel.height);
		}
	}
	fs.writeFileSync(path.join(outdir, `${panel.name}.json`), JSON.stringify(out) + '\n');
	console.log(`${panel.name}: ${f.width}x${panel.height}, ${JSON.stringify(out).length} bytes`);
}
