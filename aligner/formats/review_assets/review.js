"use strict";
(function () {
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("data").textContent), T_PARSED = performance.now();
  var META = DATA.meta, SRC = DATA.src, TGT = DATA.tgt;
  var SIDES = {s: SRC, t: TGT};
  var beads = DATA.beads.map(function (b) {
    return {s: b[0].slice(), t: b[1].slice(), score: b[2], edit: b[3] || ""};
  });
  var history = [], log = [], order = null, rowEls = [], focusIdx = -1, lowered = {s: [], t: []};
  var $ = function (id) { return document.getElementById(id); };
  var rowsEl = $("rows"), showEl = $("show"), thrEl = $("threshold"), sortEl = $("sort"), searchEl = $("search");
  thrEl.value = META.threshold;
  $("src-head").textContent = META.src_label;
  $("tgt-head").textContent = META.tgt_label;
  SRC.forEach(function (x, k) { lowered.s[k] = x.toLowerCase(); });
  TGT.forEach(function (x, k) { lowered.t[k] = x.toLowerCase(); });

  // ------------------------------------------------------------------ text helpers (same rules as aligner)
  var WIDE = /^(?:[\u2e80-\u312f\u3190-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\ud840-\ud8bf][\udc00-\udfff])$/;
  var ALNUM = /^[A-Za-z0-9]$/;
  function lastChar(x) { return x.length > 1 && /[\udc00-\udfff]$/.test(x) ? x.slice(-2) : x.slice(-1); }
  function firstChar(x) { return /^[\ud800-\udbff]/.test(x) ? x.slice(0, 2) : x.charAt(0); }
  function joinSentences(texts, lang) {
    var parts = texts.filter(function (t) { return t; });
    if (lang === "en") return parts.join(" ");
    var out = "";
    parts.forEach(function (text) {
      if (out) {
        var a = lastChar(out), b = firstChar(text);
        var space = lang === "zh" ? ALNUM.test(a) && ALNUM.test(b) : !(WIDE.test(a) || WIDE.test(b));
        if (space) out += " ";
      }
      out += text;
    });
    return out;
  }
  function sideText(b, side) {
    return joinSentences(b[side].map(function (k) { return SIDES[side][k]; }), side === "s" ? META.src_lang : META.tgt_lang);
  }
  function esc(x) {
    return x.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  var LINE_BREAK = /[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/g;
  var XML_ILLEGAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g;
  function oneLine(x) { return x.replace(LINE_BREAK, " "); }
  function xmlText(x) {
    return oneLine(x).replace(XML_ILLEGAL, "$1").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function xmlAttr(x) { return xmlText(x).replace(/"/g, "&quot;"); }
  function fmtScore(s) { return s === null || s === undefined ? "" : s.toFixed(4); }
  function type(b) { return b.s.length + "-" + b.t.length; }
  function isNull(b) { return !b.s.length || !b.t.length; }
  // the band: blue for edited beads; below the threshold red to amber, above it yellow-green to green
  function colour(b) {
    if (b.edit) return "var(--edited)";
    var s = Math.max(0, Math.min(1, b.score === null ? 0 : b.score)), thr = threshold();
    if (s < thr) return "hsl(" + Math.round(4 + 36 * s / Math.max(thr, 1e-6)) + ",85%,52%)";
    return "hsl(" + Math.round(75 + 55 * (s - thr) / Math.max(1 - thr, 1e-6)) + ",60%,42%)";
  }
  function recolour() {
    for (var i = 0; i < beads.length; i++) rowEls[i].children[1].style.background = colour(beads[i]);
  }

  // ------------------------------------------------------------------ rendering
  function cellHtml(b, side) {
    var ids = b[side], texts = SIDES[side], html = "";
    for (var k = 0; k < ids.length; k++)  // no element per sentence: 2,000 rows stay light to lay out
      html += (k ? " <sup>" : "<sup>") + (ids[k] + 1) + "</sup>" + esc(texts[ids[k]]);
    return html;
  }
  function rowHtml(b, i) {
    var cls = "row" + (isNull(b) ? " null" : "") + (b.edit ? " edited" : "");
    return '<div class="' + cls + '" id="b' + i + '" data-i="' + i + '" data-src="' + b.s.join(",") +
      '" data-tgt="' + b.t.join(",") + '" data-score="' + fmtScore(b.score) + '" data-type="' + type(b) + '">' +
      '<div class="num">' + (i + 1) + '<span class="sc">' + (b.edit ? "edited" : b.score === null ? "–" : b.score.toFixed(2)) +
      '</span><span class="ty">' + type(b) + "</span></div>" +
      '<div class="band" style="background:' + colour(b) + '"></div>' +
      '<div class="cell ' + META.src_lang + '" lang="' + META.src_lang + '">' + cellHtml(b, "s") + "</div>" +
      '<div class="cell ' + META.tgt_lang + '" lang="' + META.tgt_lang + '">' + cellHtml(b, "t") + "</div></div>";
  }
  // one edit toolbar, moved into the focused row (2,000 rows with their own buttons would be 14,000 more nodes)
  var actsEl = $("acts");
  actsEl.querySelectorAll("[data-side]").forEach(function (btn) {
    var lang = btn.getAttribute("data-side") === "s" ? META.src_lang : META.tgt_lang;
    btn.textContent = btn.getAttribute("data-op") === "first-up" ? "first " + lang + " sentence ▲" : "last " + lang + " sentence ▼";
    btn.title = btn.getAttribute("data-op") === "first-up" ? "move the first " + lang + " sentence to the bead above"
      : "move the last " + lang + " sentence to the bead below";
  });
  function placeActs() {
    var row = focusIdx >= 0 ? rowEls[focusIdx] : null;
    if (!row) { actsEl.hidden = true; document.body.appendChild(actsEl); return; }
    var b = beads[focusIdx];
    actsEl.querySelector("[data-op=not-translation]").disabled = isNull(b);
    actsEl.querySelector("[data-op=merge-prev]").disabled = focusIdx === 0;
    actsEl.querySelector("[data-op=merge-next]").disabled = focusIdx === beads.length - 1;
    actsEl.querySelectorAll("[data-side]").forEach(function (btn) { btn.disabled = !b[btn.getAttribute("data-side")].length; });
    row.appendChild(actsEl);
    actsEl.hidden = false;
  }
  var PHASES = {};
  function render() {
    var t = performance.now(), parts = new Array(beads.length);
    for (var i = 0; i < beads.length; i++) parts[i] = rowHtml(beads[i], i);
    var html = parts.join("");
    PHASES.build_ms = performance.now() - t;
    t = performance.now();
    document.body.appendChild(actsEl);
    rowsEl.innerHTML = html;
    rowEls = Array.prototype.slice.call(rowsEl.children);
    PHASES.dom_ms = performance.now() - t;
    sorted = false;
    applySort();
    applyFilter();
    summary();
    $("undo").disabled = !history.length;
  }
  function summary() {
    var low = 0, nul = 0, thr = threshold();
    beads.forEach(function (b) {
      if (isNull(b)) nul++;
      if (!b.edit && b.score !== null && b.score < thr) low++;
    });
    $("summary").textContent = beads.length + " beads · " + low + " below " + thr + " · " + nul + " not paired · " +
      log.filter(function (e) { return e.op !== "undo"; }).length + " edits";
  }
  function threshold() { var v = parseFloat(thrEl.value); return isNaN(v) ? 0.5 : v; }
  function isLow(b) { return !b.edit && b.score !== null && b.score < threshold(); }

  // ------------------------------------------------------------------ filter, sort, navigation
  function matches(b, needle) {
    var k;
    for (k = 0; k < b.s.length; k++) if (lowered.s[b.s[k]].indexOf(needle) >= 0) return true;
    for (k = 0; k < b.t.length; k++) if (lowered.t[b.t[k]].indexOf(needle) >= 0) return true;
    return false;
  }
  function applyFilter() {
    var mode = showEl.value, needle = searchEl.value.trim().toLowerCase(), shown = 0;
    for (var i = 0; i < beads.length; i++) {
      var b = beads[i], ok = true;
      if (mode === "low") ok = isLow(b);
      else if (mode === "null") ok = isNull(b);
      else if (mode === "edited") ok = !!b.edit;
      if (ok && needle) ok = matches(b, needle);
      if (rowEls[i].hidden === ok) rowEls[i].hidden = !ok;
      if (ok) shown++;
    }
    $("count").textContent = shown + " of " + beads.length + " shown";
    return shown;
  }
  // sorting sets the CSS flex "order" of each row instead of moving 2,000 nodes around
  var sorted = false;
  function applySort() {
    var mode = sortEl.value, idx = beads.map(function (_, i) { return i; });
    if (mode !== "doc") {
      var key = function (i) { var b = beads[i]; return b.edit || b.score === null ? 2 : b.score; };
      idx.sort(function (a, b) { return mode === "asc" ? key(a) - key(b) || a - b : key(b) - key(a) || a - b; });
    }
    order = idx;
    if (mode === "doc" && !sorted) return;
    for (var p = 0; p < idx.length; p++) rowEls[idx[p]].style.order = mode === "doc" ? "" : p;
    sorted = mode !== "doc";
  }
  function setFocus(i, scroll) {
    if (focusIdx >= 0 && rowEls[focusIdx]) rowEls[focusIdx].classList.remove("focus");
    focusIdx = i;
    if (i >= 0 && rowEls[i]) {
      rowEls[i].classList.add("focus");
      if (scroll !== false) rowEls[i].scrollIntoView({block: "center"});
    }
    placeActs();
  }
  function step(dir, pred) {
    var pos = order.indexOf(focusIdx), n = order.length;
    for (var k = 1; k <= n; k++) {
      var p = pos < 0 ? (dir > 0 ? k - 1 : n - k) : ((pos + dir * k) % n + n) % n;
      var i = order[p];
      if (!rowEls[i].hidden && (!pred || pred(beads[i]))) { setFocus(i); return i; }
    }
    return -1;
  }
  function nextLow() { return step(1, isLow); }

  // ------------------------------------------------------------------ edits
  function copyBeads() { return beads.map(function (b) { return {s: b.s.slice(), t: b.t.slice(), score: b.score, edit: b.edit}; }); }
  function snap(b) { return [b.s.slice(), b.t.slice()]; }
  function record(op, i, before, after, focus) {
    log.push({time: new Date().toISOString(), op: op, bead: i + 1, before: before, after: after.map(snap)});
    render();
    setFocus(Math.max(0, Math.min(focus, beads.length - 1)), false);
  }
  function begin() { history.push({beads: copyBeads(), focus: focusIdx}); }
  function mergeNext(i) {
    if (i < 0 || i + 1 >= beads.length) return false;
    begin();
    var a = beads[i], b = beads[i + 1], before = [snap(a), snap(b)];
    var m = {s: a.s.concat(b.s), t: a.t.concat(b.t), score: null, edit: "merge"};
    beads.splice(i, 2, m);
    record("merge", i, before, [m], i);
    return true;
  }
  function moveFirstUp(i, side) {
    var a = beads[i];
    if (!a || !a[side].length) return false;
    begin();
    var before = [snap(a)], x = a[side].shift(), after;
    if (i > 0) {
      var p = beads[i - 1];
      before.unshift(snap(p));
      p[side].push(x); p.score = null; p.edit = p.edit || "split";
      after = [p, a];
    } else {
      var nb = {s: [], t: [], score: null, edit: "split"};
      nb[side].push(x);
      beads.unshift(nb); i += 1;
      after = [nb, a];
    }
    a.score = null; a.edit = a.edit || "split";
    if (!a.s.length && !a.t.length) { beads.splice(i, 1); after.pop(); }
    record("move first " + (side === "s" ? META.src_lang : META.tgt_lang) + " sentence up", i, before, after, i);
    return true;
  }
  function moveLastDown(i, side) {
    var a = beads[i];
    if (!a || !a[side].length) return false;
    begin();
    var before = [snap(a)], x = a[side].pop(), after;
    if (i + 1 < beads.length) {
      var q = beads[i + 1];
      before.push(snap(q));
      q[side].unshift(x); q.score = null; q.edit = q.edit || "split";
      after = [a, q];
    } else {
      var nb = {s: [], t: [], score: null, edit: "split"};
      nb[side].push(x);
      beads.push(nb);
      after = [a, nb];
    }
    a.score = null; a.edit = a.edit || "split";
    if (!a.s.length && !a.t.length) { beads.splice(i, 1); after.shift(); }
    record("move last " + (side === "s" ? META.src_lang : META.tgt_lang) + " sentence down", i, before, after, i);
    return true;
  }
  function notTranslation(i) {
    var a = beads[i];
    if (!a || isNull(a)) return false;
    begin();
    var before = [snap(a)];
    var x = {s: a.s.slice(), t: [], score: null, edit: "not-translation"};
    var y = {s: [], t: a.t.slice(), score: null, edit: "not-translation"};
    beads.splice(i, 1, x, y);
    record("not a translation", i, before, [x, y], i);
    return true;
  }
  function undo() {
    var h = history.pop();
    if (!h) return false;
    beads = h.beads;
    log.push({time: new Date().toISOString(), op: "undo", undoes: lastOp()});
    render();
    setFocus(h.focus, false);
    return true;
  }
  function lastOp() {
    var depth = 0;
    for (var k = log.length - 1; k >= 0; k--) {
      if (log[k].op === "undo") depth++;
      else if (depth) depth--;
      else return log[k].op + " at bead " + log[k].bead;
    }
    return "";
  }

  // ------------------------------------------------------------------ export (built here, in the browser)
  function utcStamp(d) {
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getUTCFullYear() + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + "T" + p(d.getUTCHours()) +
      p(d.getUTCMinutes()) + p(d.getUTCSeconds()) + "Z";
  }
  function exportTmx() {
    var sl = xmlAttr(META.src_xml_lang), tl = xmlAttr(META.tgt_xml_lang), now = utcStamp(new Date());
    var cid = META.creationid ? ' creationid="' + xmlAttr(META.creationid) + '"' : "";
    var out = ['<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4">',
      '  <header creationtool="aligner" creationtoolversion="' + xmlAttr(META.tool_version) + '" segtype="' + xmlAttr(META.segtype || "sentence") + '"' +
      ' o-tmf="aligner" adminlang="en-US" srclang="' + sl + '" datatype="plaintext" creationdate="' + now + '"' + cid + ">"];
    META.header_props.forEach(function (p) { out.push('    <prop type="' + xmlAttr(p[0]) + '">' + xmlText(p[1]) + "</prop>"); });
    out.push('    <prop type="x-reviewed">' + now + "</prop>", "  </header>", "  <body>");
    beads.forEach(function (b) {
      if (isNull(b)) return;
      out.push("    <tu" + cid + ">");
      if (b.score !== null) out.push('      <prop type="x-align-score">' + fmtScore(b.score) + "</prop>");
      out.push('      <prop type="x-align-type">' + type(b) + "</prop>");
      if (b.edit) out.push('      <prop type="x-align-edit">' + b.edit + "</prop>");
      META.unit_props.forEach(function (p) { out.push('      <prop type="' + xmlAttr(p[0]) + '">' + xmlText(p[1]) + "</prop>"); });
      out.push('      <tuv xml:lang="' + sl + '"><seg>' + xmlText(sideText(b, "s")) + "</seg></tuv>",
        '      <tuv xml:lang="' + tl + '"><seg>' + xmlText(sideText(b, "t")) + "</seg></tuv>", "    </tu>");
    });
    out.push("  </body>", "</tmx>", "");
    return out.join("\n");
  }
  function exportTsv() {
    var out = ["src_ids\ttgt_ids\tscore\ttype\tsrc_text\ttgt_text"];
    beads.forEach(function (b) {
      out.push([b.s.join(","), b.t.join(","), fmtScore(b.score), type(b), oneLine(sideText(b, "s")),
        oneLine(sideText(b, "t"))].join("\t"));
    });
    return out.join("\n") + "\n";
  }
  function exportJsonl() {
    return beads.map(function (b) {
      var o = {src: b.s, tgt: b.t, src_text: sideText(b, "s"), tgt_text: sideText(b, "t"),
        score: b.score === null ? null : Math.round(b.score * 10000) / 10000, type: type(b),
        src_lang: META.src_lang, tgt_lang: META.tgt_lang,
        src_sents: b.s.map(function (k) { return SRC[k]; }), tgt_sents: b.t.map(function (k) { return TGT[k]; })};
      if (b.edit) o.edited = b.edit;
      return JSON.stringify(o).replace(/[\u0085\u2028\u2029]/g, function (c) { return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"); });
    }).join("\n") + "\n";
  }
  function exportLog() {
    return JSON.stringify({document: META.title, exported: new Date().toISOString(), beads: beads.length,
      edits: log}, null, 1) + "\n";
  }
  var EXPORTS = {
    tmx: [exportTmx, ".reviewed.tmx", "application/x-tmx+xml"], tsv: [exportTsv, ".reviewed.tsv", "text/tab-separated-values"],
    jsonl: [exportJsonl, ".reviewed.jsonl", "application/x-ndjson"], log: [exportLog, ".edits.json", "application/json"]
  };
  function exportText(fmt) { return EXPORTS[fmt][0](); }
  function download(fmt) {
    var e = EXPORTS[fmt], blob = new Blob([e[0]()], {type: e[2] + ";charset=utf-8"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = META.stem + e[1];
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // ------------------------------------------------------------------ events
  rowsEl.addEventListener("click", function (ev) {
    var row = ev.target.closest(".row");
    if (!row || ev.target.closest("#acts")) return;
    var i = +row.getAttribute("data-i");
    if (i !== focusIdx) setFocus(i, false);
  });
  actsEl.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button"), i = focusIdx;
    if (!btn || i < 0) return;
    var op = btn.getAttribute("data-op"), side = btn.getAttribute("data-side");
    if (op === "merge-next") mergeNext(i);
    else if (op === "merge-prev") mergeNext(i - 1);
    else if (op === "not-translation") notTranslation(i);
    else if (op === "first-up") moveFirstUp(i, side);
    else if (op === "last-down") moveLastDown(i, side);
  });
  showEl.addEventListener("change", applyFilter);
  thrEl.addEventListener("input", function () { recolour(); applyFilter(); summary(); });
  sortEl.addEventListener("change", function () { applySort(); applyFilter(); });
  var searchTimer = 0;
  ["input", "search", "change"].forEach(function (ev) {
    searchEl.addEventListener(ev, function () { clearTimeout(searchTimer); searchTimer = setTimeout(applyFilter, 60); });
  });
  $("next-low").addEventListener("click", nextLow);
  $("undo").addEventListener("click", undo);
  $("help-btn").addEventListener("click", function () { $("help").hidden = !$("help").hidden; });
  document.querySelectorAll("[data-export]").forEach(function (b) {
    b.addEventListener("click", function () { download(b.getAttribute("data-export")); });
  });
  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target.tagName || "").toLowerCase();
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "z" && tag !== "input") { ev.preventDefault(); undo(); return; }
    if (tag === "input" || tag === "select" || tag === "textarea" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var k = ev.key;
    if (k === "j") step(1);
    else if (k === "k") step(-1);
    else if (k === "n") nextLow();
    else if (k === "m" && focusIdx >= 0) mergeNext(focusIdx);
    else if (k === "M" && focusIdx > 0) mergeNext(focusIdx - 1);  // leaves the focus on the merged bead
    else if (k === "x" && focusIdx >= 0) notTranslation(focusIdx);
    else if (k === "u") undo();
    else if (k === "/" ) { ev.preventDefault(); searchEl.focus(); }
    else if (k === "?") $("help").hidden = !$("help").hidden;
    else return;
    ev.preventDefault();
  });

  render();
  window.review = {
    beads: function () { return beads.map(function (b) { return {src: b.s.slice(), tgt: b.t.slice(), score: b.score, edit: b.edit}; }); },
    exportText: exportText, download: download, applyFilter: applyFilter, applySort: applySort,
    mergeNext: mergeNext, moveFirstUp: moveFirstUp, moveLastDown: moveLastDown, notTranslation: notTranslation,
    undo: undo, nextLow: nextLow, focus: function () { return focusIdx; }, log: function () { return log.slice(); },
    timings: {parse_ms: T_PARSED - T0, build_ms: PHASES.build_ms, dom_ms: PHASES.dom_ms,
      script_ms: performance.now() - T0, ready_ms: performance.now()}
  };
  document.documentElement.setAttribute("data-ready", "1");
})();
