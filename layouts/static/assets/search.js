/*
 * search.js - the search page: reads ?q= (and &section=, &cluster=) from
 * the address, loads this language's index (LANG/search/index.json, made
 * by brochure build), finds, ranks and quotes. No dependencies, no server.
 *
 * Terms are folded as the index folds them (src/search.c): compatibility
 * decomposition, marks stripped, lower case, and ł, ø, æ, ß... in ASCII.
 * A run of Han characters is a phrase: the index's bigrams find the pages
 * that may hold it, their texts (text-N.json, loaded on demand) say which
 * do. A Latin word matches words that start with it ("logist" finds
 * "logistics"); a whole word ranks above a prefix. Every term must match;
 * when nothing does, pages that hold some of the terms (for a long Han
 * phrase, some of its pairs of characters) are shown instead, and the page
 * says so.
 *
 * Ranking is BM25 over the page's fields, the title first: a page about a
 * term comes before a page that mentions it once.
 */
(function () {
	'use strict';

	var box = document.querySelector('[data-search]');
	if (!box)
		return;
	var T = box.dataset;
	var form = box.querySelector('form.search-form');
	var input = form.elements.q;
	var status = box.querySelector('.search-status');
	var filters = box.querySelector('.search-filters');
	var list = box.querySelector('.search-results');
	var more = box.querySelector('.search-more');
	var ROOT = T.root || '';
	var PAGE = 20;
	var PRELOAD = 4;	/* shards loaded with the index when there are no more */
	var FIELDS = [			/* weight, and BM25's length normalisation */
		{ w: 10, b: 0 },	/* title */
		{ w: 6, b: 0 },		/* the page's names in the other languages */
		{ w: 3, b: 0.3 },	/* description */
		{ w: 3, b: 0.3 },	/* keys: clusters, challenges, country */
		{ w: 1, b: 0.75 }	/* body */
	];
	var STOP = new Set(('a an and are as at be by do does for from has have how ' +
		'in is it of on or that the their there these this to was were what ' +
		'which who with').split(' '));
	var ASCII = { 'ß': 'ss', 'æ': 'ae', 'ð': 'd', 'ø': 'o', 'þ': 'th', 'đ': 'd',
		'ħ': 'h', 'ı': 'i', 'ł': 'l', 'œ': 'oe', 'ς': 'σ' };
	var HANSTOP = /[的了和是在与及或有哪些什么吗呢吧啊怎样如何为把被这那个们其之也都就还]/u;
	var MARKS = /\p{M}/gu, DASH = /\p{Pd}/gu, WORD = /[\p{L}\p{N}]/u;

	function isHan(c) {
		return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
			(c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
	}

	var memo = new Map();
	function foldChar(ch, c) {
		if (c < 0x80)
			return c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : ch;
		if (isHan(c) && (c < 0xF900 || c > 0xFAFF))
			return ch;
		var f = memo.get(ch);
		if (f === undefined) {
			f = '';
			for (var x of ch.normalize('NFKD').replace(MARKS, '').toLowerCase())
				f += ASCII[x] || x;
			/* dashes as "-", a right single quote as "'" */
			f = f.replace(DASH, '-').replace(/[’‘]/g, "'");
			memo.set(ch, f);
		}
		return f;
	}

	/* One character of text folded (a regular expression's replacer). */
	var resized = false;
	function fold1(ch) {
		var f = foldChar(ch, ch.codePointAt(0));
		if (f.length !== ch.length)
			resized = true;
		return f;
	}
	/* What folding may change: upper case, and everything but ASCII,
	 * common Han and white space. */
	var FOLDS = /[A-Z]|[^\0-\x7F\u3400-\u4DBF\u4E00-\u9FFF]/gu;

	/* s folded, and for each of its code units the offset in s it came
	 * from (map; null when every character folds to one of the same
	 * length, as nearly all do) */
	function fold(s) {
		resized = false;
		var f = s.replace(FOLDS, fold1);
		if (!resized)
			return { s: s, f: f, map: null };
		var out = [], map = [], i = 0, c, n, k;
		while (i < s.length) {
			c = s.codePointAt(i);
			n = c > 0xFFFF ? 2 : 1;
			f = foldChar(s.slice(i, i + n), c);
			out.push(f);
			for (k = 0; k < f.length; k++)
				map.push(i);
			i += n;
		}
		map.push(s.length);
		return { s: s, f: out.join(''), map: map };
	}

	/* The offset in the original text of folded offset i. */
	function orig(x, i) {
		return x.map ? x.map[i] : i;
	}

	/* Is the code point at i of folded text t a letter or digit of a word
	 * (not Han, which needs no boundary)? */
	function wordAt(t, i) {
		if (i < 0 || i >= t.length)
			return false;
		var c = t.codePointAt(i);
		if (c < 0x80)
			return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
		if (c >= 0xDC00 && c <= 0xDFFF)	/* the second half of a pair */
			c = t.codePointAt(i - 1);
		return !isHan(c) && WORD.test(String.fromCodePoint(c));
	}

	/* The query's terms: Han runs, and words (letters and digits, with
	 * inner . - ' between them, as in "4.0", "U-CAP") */
	function parse(q) {
		var f = fold(q).f, toks = [], i = 0, c, n, cur = '', kind = '';
		function flush() {
			if (cur)
				toks.push({ kind: kind, s: cur });
			cur = '';
			kind = '';
		}
		while (i < f.length) {
			c = f.codePointAt(i);
			n = c > 0xFFFF ? 2 : 1;
			var ch = f.slice(i, i + n);
			if (isHan(c)) {
				if (kind !== 'han')
					flush();
				kind = 'han';
				cur += ch;
			} else if (wordAt(f, i)) {
				if (kind !== 'word')
					flush();
				kind = 'word';
				cur += ch;
			} else if (kind === 'word' && /[.\-']/.test(ch) && wordAt(f, i + 1)) {
				cur += ch;
			} else {
				flush();
			}
			i += n;
		}
		flush();
		toks.forEach(function (t) {
			t.parts = t.kind === 'word' ? t.s.split(/[.\-']/).filter(Boolean) : [t.s];
		});
		var real = toks.filter(function (t) { return !(t.kind === 'word' && STOP.has(t.s)); });
		return real.length ? real : toks;
	}

	/*---- the index -------------------------------------------------------*/

	var index = null, termAt = null, shards = [], posting = [];
	var BASE = new URL(T.index, location.href);

	function load(url) {
		return fetch(url).then(function (r) {
			if (!r.ok)
				throw new Error(url + ': ' + r.status);
			return r.json();
		});
	}

	function docsOf(k) {
		var p = posting[k];
		if (!p) {
			var d = index.postings[k], acc = 0;
			p = new Array(d.length);
			for (var i = 0; i < d.length; i++)
				p[i] = acc += d[i];
			posting[k] = p;
		}
		return p;
	}

	function union(sets) {
		var all = new Set();
		sets.forEach(function (s) { s.forEach(function (d) { all.add(d); }); });
		return all;
	}

	function intersect(a, b) {
		if (a === null)
			return b;
		var r = new Set();
		b.forEach(function (d) { if (a.has(d)) r.add(d); });
		return r;
	}

	/* The documents the index says may hold token t (a superset). */
	function candidates(t) {
		if (t.cands)
			return t.cands;
		var r = null;
		if (t.kind === 'han') {
			var cps = Array.from(t.s);
			if (cps.length === 1) {
				/* written alone, or in a bigram on either side */
				var sets = [];
				index.terms.forEach(function (term, k) {
					if (term === t.s || (isHan(term.codePointAt(0)) &&
					    (term.startsWith(t.s) || term.endsWith(t.s)) &&
					    Array.from(term).length === 2))
						sets.push(docsOf(k));
				});
				r = union(sets);
			} else {
				for (var i = 0; i + 1 < cps.length; i++) {
					var k = termAt.get(cps[i] + cps[i + 1]);
					r = intersect(r, new Set(k === undefined ? [] : docsOf(k)));
				}
			}
		} else {
			t.parts.forEach(function (p) {
				var sets = [];
				index.terms.forEach(function (term, k) {
					if (term.startsWith(p))
						sets.push(docsOf(k));
				});
				r = intersect(r, union(sets));
			});
		}
		t.cands = r || new Set();
		return t.cands;
	}

	function shardOf(d) {
		var n = index.docs[d][4];
		if (!shards[n])
			shards[n] = load(new URL(index.shards[n], BASE).href).then(function (j) {
				shards[n] = j;
				return j;
			});
		return shards[n];
	}

	/* The folded fields of document d (its shard is loaded). */
	var folded = new Map();
	function fieldsOf(d) {
		var f = folded.get(d);
		if (!f) {
			var sh = shards[index.docs[d][4]], t = sh.docs[d - sh.first];
			f = [fold(index.docs[d][1])];
			for (var i = 0; i < 4; i++)
				f.push(fold(t[i] || ''));
			folded.set(d, f);
		}
		return f;
	}

	/* Where token t occurs in folded text x: [start, end, whole] */
	function find(x, t) {
		var r = [], i = 0, f = x.f, s = t.s, j;
		while ((j = f.indexOf(s, i)) >= 0) {
			i = j + 1;
			if (t.kind === 'word') {
				if (wordAt(f, j - 1))
					continue;
				r.push([j, j + s.length, !wordAt(f, j + s.length)]);
			} else {
				r.push([j, j + s.length, true]);
			}
		}
		return r;
	}

	/*---- searching -------------------------------------------------------*/

	var avg = null;	/* set for each verification */
	function averages(ds) {
		/* the fields' mean lengths over the loaded documents */
		var sum = [0, 0, 0, 0, 0], n = 0;
		ds.forEach(function (d) {
			fieldsOf(d).forEach(function (x, i) { sum[i] += x.f.length; });
			n++;
		});
		return sum.map(function (v) { return Math.max(1, v / Math.max(1, n)); });
	}

	/* Scores doc d for the tokens; null unless it holds them all (any
	 * of them with some set). */
	function score(d, toks, some) {
		var fs = fieldsOf(d), total = 0, held = 0, hits = [];
		toks.forEach(function (t, ti) {
			var s = 0, any = false;
			fs.forEach(function (x, fi) {
				var m = find(x, t), tf = 0;
				if (!m.length)
					return;
				any = true;
				hits.push({ field: fi, token: ti, at: m });
				m.forEach(function (h) { tf += h[2] ? 1 : 0.6; });
				var F = FIELDS[fi], k = 1.2;
				var norm = k * (1 - F.b + F.b * x.f.length / avg[fi]);
				s += F.w * tf * (k + 1) / (tf + norm);
			});
			if (any) {
				held++;
				total += t.idf * s;
			}
		});
		if (held === 0 || (!some && held < toks.length))
			return null;
		return { doc: d, score: total * (some ? held / toks.length : 1), held: held, hits: hits };
	}

	function idf(t) {
		var N = index.docs.length, df = candidates(t).size;
		t.idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
	}

	function run(q) {
		var toks = parse(q), cands = null;
		if (!toks.length)
			return Promise.resolve({ toks: toks, results: [] });
		toks.forEach(function (t) { cands = intersect(cands, candidates(t)); });
		var relaxed = false;
		function verify(set, toks, some) {
			var ds = Array.from(set).sort(function (a, b) { return a - b; });
			return Promise.all(ds.map(shardOf)).then(function () {
				avg = averages(ds);
				toks.forEach(idf);
				var rs = [];
				ds.forEach(function (d) {
					var r = score(d, toks, some);
					if (r)
						rs.push(r);
				});
				return rs;
			});
		}
		return verify(cands, toks, false).then(function (rs) {
			if (rs.length || (toks.length < 2 &&
			    !(toks[0].kind === 'han' && Array.from(toks[0].s).length > 2)))
				return rs;
			/* nothing holds it all: some of it, a long Han phrase by its pairs */
			relaxed = true;
			var loose = [];
			toks.forEach(function (t) {
					var cps = Array.from(t.s);
				if (t.kind !== 'han' || cps.length <= 2) {
					loose.push(t);
					return;
				}
				/* its pairs, less those with a function word's character */
				for (var i = 0; i + 1 < cps.length; i++)
					if (!HANSTOP.test(cps[i] + cps[i + 1]))
						loose.push({ kind: 'han', s: cps[i] + cps[i + 1],
							parts: [cps[i] + cps[i + 1]] });
			});
			toks = loose;
			return verify(union(toks.map(candidates)), toks, true);
		}).then(function (rs) {
			rs.sort(function (a, b) {
				return b.score - a.score || a.doc - b.doc;
			});
			return { toks: toks, results: rs, relaxed: relaxed };
		});
	}

	/*---- showing ---------------------------------------------------------*/

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	/* Appends the original text of x from a to b (folded offsets), with
	 * the ranges in marks highlighted. */
	function marked(parent, x, a, b, marks) {
		var at = a;
		marks.filter(function (m) { return m[1] > a && m[0] < b; })
			.sort(function (p, q) { return p[0] - q[0]; })
			.forEach(function (m) {
				var s = Math.max(m[0], a), e = Math.min(m[1], b);
				if (s < at)
					return;
				parent.appendChild(document.createTextNode(x.s.slice(orig(x, at), orig(x, s))));
				parent.appendChild(el('mark', '', x.s.slice(orig(x, s), orig(x, e))));
				at = e;
			});
		parent.appendChild(document.createTextNode(x.s.slice(orig(x, at), orig(x, b))));
	}

	function excerpt(r, toks) {
		var fs = fieldsOf(r.doc), zh = /^zh/.test(index.lang);
		var before = zh ? 24 : 60, after = zh ? 90 : 200;
		/* the body if it holds a match, else the description or keys (the
		 * names are beside the title) */
		var order = [4, 2, 3], fi, hs = [];
		for (var k = 0; k < order.length; k++) {
			fi = order[k];
			hs = r.hits.filter(function (h) { return h.field === fi; });
			if (hs.length)
				break;
		}
		var x = fs[fi], p = el('p', 'excerpt');
		if (!hs.length) {
			x = fs[2].f ? fs[2] : fs[4];
			marked(p, x, 0, Math.min(x.f.length, after), []);
			return p;
		}
		/* around the first match of the rarest term held here */
		hs.sort(function (a, b) { return toks[b.token].idf - toks[a.token].idf; });
		var m = hs[0].at[0], f = x.f;
		var ls = f.lastIndexOf('\n', m[0]) + 1, le = f.indexOf('\n', m[1]);
		if (le < 0)
			le = f.length;
		var a = Math.max(ls, m[0] - before), b = Math.min(le, a + before + after);
		if (!zh) {
			while (a > ls && wordAt(f, a - 1))
				a--;
			while (b < le && wordAt(f, b))
				b++;
		}
		var all = [];
		hs.forEach(function (h) { all = all.concat(h.at); });
		/* an ellipsis where a paragraph is cut, not after its sentence */
		if (a > ls)
			p.appendChild(document.createTextNode('…'));
		marked(p, x, a, b, all);
		if (b < le && !/[.!?。！？；;]$/.test(f.slice(a, b).trimEnd()))
			p.appendChild(document.createTextNode('…'));
		return p;
	}

	var state = { q: '', section: '', cluster: '', shown: PAGE, res: null };

	function params() {
		var u = new URLSearchParams(location.search);
		state.q = u.get('q') || '';
		state.section = u.get('section') || '';
		state.cluster = u.get('cluster') || '';
		input.value = state.q;
	}

	function address() {
		var u = new URLSearchParams();
		if (state.q)
			u.set('q', state.q);
		if (state.section)
			u.set('section', state.section);
		if (state.cluster)
			u.set('cluster', state.cluster);
		var s = u.toString();
		return location.pathname + (s ? '?' + s : '');
	}

	function fill(n, key) {
		return (n === 1 && T[key + 'One'] ? T[key + 'One'] : T[key]).replace('{n}', n);
	}

	function chip(label, n, on, act) {
		var b = el('button', 'chip', label);
		b.type = 'button';
		b.setAttribute('aria-pressed', on ? 'true' : 'false');
		b.appendChild(el('span', 'count', String(n)));
		b.addEventListener('click', act);
		return b;
	}

	function show() {
		var out = state.res;
		list.textContent = '';
		filters.textContent = '';
		more.hidden = true;
		if (!out)
			return;
		var rs = out.results, secs = index.sections, cls = index.clusters;
		if (!rs.length) {
			status.textContent = T.none.replace('{q}', state.q);
			filters.hidden = true;
			return;
		}
		/* the filters, with counts over all results */
		var bySec = new Map(), byCl = new Map();
		rs.forEach(function (r) {
			var d = index.docs[r.doc];
			bySec.set(d[2], (bySec.get(d[2]) || 0) + 1);
			if (!state.section || secs[d[2]][0] === state.section)
				d[3].forEach(function (c) { byCl.set(c, (byCl.get(c) || 0) + 1); });
		});
		var fs = el('div', 'filter-sections');
		fs.setAttribute('role', 'group');
		fs.setAttribute('aria-label', T.sections);
		fs.appendChild(chip(T.all, rs.length, !state.section, function () { refilter('', state.cluster); }));
		secs.forEach(function (s, i) {
			if (bySec.has(i))
				fs.appendChild(chip(s[1], bySec.get(i), state.section === s[0], function () {
					refilter(s[0], state.cluster);
				}));
		});
		filters.appendChild(fs);
		if (byCl.size) {
			var lab = el('label', 'filter-cluster'), sel = el('select');
			lab.appendChild(document.createTextNode(T.clusterLabel + ' '));
			sel.appendChild(el('option', '', T.allClusters)).value = '';
			cls.forEach(function (c, i) {
				if (byCl.has(i) || state.cluster === c[0]) {
					var o = el('option', '', c[1] + ' (' + (byCl.get(i) || 0) + ')');
					o.value = c[0];
					o.selected = state.cluster === c[0];
					sel.appendChild(o);
				}
			});
			sel.addEventListener('change', function () { refilter(state.section, sel.value); });
			lab.appendChild(sel);
			filters.appendChild(lab);
		}
		filters.hidden = false;
		var shown = rs.filter(function (r) {
			var d = index.docs[r.doc];
			if (state.section && secs[d[2]][0] !== state.section)
				return false;
			if (state.cluster && !d[3].some(function (c) { return cls[c][0] === state.cluster; }))
				return false;
			return true;
		});
		status.textContent = (out.relaxed ? T.partial.replace('{q}', state.q) + ' ' : '') +
			fill(shown.length, 'results');
		shown.slice(0, state.shown).forEach(function (r) {
			var d = index.docs[r.doc], li = el('li', 'result'), h = el('h2'), a = el('a');
			var meta = el('p', 'result-meta', secs[d[2]][1] + (d[5] ? ' · ' + d[5] : ''));
			a.href = ROOT + d[0];
			var titleMarks = [];
			r.hits.forEach(function (hh) { if (hh.field === 0) titleMarks = titleMarks.concat(hh.at); });
			var tx = fieldsOf(r.doc)[0];
			marked(a, tx, 0, tx.f.length, titleMarks);
			h.appendChild(a);
			var nm = r.hits.filter(function (hh) { return hh.field === 1; });
			if (nm.length) {
				var nx = fieldsOf(r.doc)[1], span = el('span', 'result-names');
				span.appendChild(document.createTextNode(' · '));
				marked(span, nx, 0, nx.f.length, [].concat.apply([], nm.map(function (hh) { return hh.at; })));
				h.appendChild(span);
			}
			li.appendChild(meta);
			li.appendChild(h);
			li.appendChild(excerpt(r, out.toks));
			list.appendChild(li);
		});
		if (shown.length > state.shown) {
			more.hidden = false;
			more.textContent = fill(shown.length - state.shown, 'more');
		}
	}

	function refilter(section, cluster) {
		state.section = section;
		state.cluster = cluster;
		state.shown = PAGE;
		history.replaceState(null, '', address());
		show();
	}

	var ready = null, seq = 0;
	function search(q) {
		state.q = q.trim();
		state.res = null;
		var my = ++seq;
		if (!state.q) {
			status.textContent = T.prompt;
			input.focus();
			show();
			return Promise.resolve();
		}
		status.textContent = T.loading;
		return ready.then(function () {
			var t0 = performance.now();
			return run(state.q).then(function (out) {
				if (my !== seq)
					return;
				box.dataset.queryMs = String(Math.round(performance.now() - t0));
				state.res = out;
				state.shown = PAGE;
				show();
				box.dataset.done = state.q;
			});
		}, function () {});
	}

	if (location.protocol === 'file:') {
		status.textContent = T.file;
		box.dataset.done = 'file';
		return;
	}
	var t0 = performance.now();
	ready = load(T.index).then(function (j) {
		index = j;
		termAt = new Map();
		index.terms.forEach(function (t, k) { termAt.set(t, k); });
		/* a small site's texts (a few shards) come at once, a large
		 * site's as its queries need them */
		var all = [];
		if (index.shards.length <= PRELOAD)
			for (var n = 0; n < index.docs.length; n += 1)
				if (n === 0 || index.docs[n][4] !== index.docs[n - 1][4])
					all.push(shardOf(n));
		return Promise.all(all);
	}).then(function () {
		box.dataset.loadMs = String(Math.round(performance.now() - t0));
	}, function (e) {
		status.textContent = T.error;
		box.dataset.done = 'error';
		throw e;
	});

	form.addEventListener('submit', function (ev) {
		ev.preventDefault();
		if (input.value.trim() === state.q)
			return;
		state.section = state.cluster = '';
		search(input.value).then(function () { history.pushState(null, '', address()); });
	});
	var timer = 0;
	input.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(function () {
			state.section = state.cluster = '';
			search(input.value).then(function () { history.replaceState(null, '', address()); });
		}, 250);
	});
	more.addEventListener('click', function () {
		state.shown += PAGE;
		show();
	});
	window.addEventListener('popstate', function () {
		params();
		search(state.q);
	});
	params();
	search(state.q);
})();
