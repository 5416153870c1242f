// The review page: summary, charts and the sampled records, with verdicts kept in this browser.
// Every text from the run is set with textContent, never parsed as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('review-data').textContent);
  var storeKey = 'rolesynth-review:' + data.summary.runId + ':' + data.sampling.seed + ':' + data.sampling.strata;
  var state = JSON.parse(localStorage.getItem(storeKey) || '{}');
  var reviewer = document.getElementById('reviewer');
  reviewer.value = localStorage.getItem('rolesynth-reviewer') || '';
  reviewer.addEventListener('input', function () { localStorage.setItem('rolesynth-reviewer', reviewer.value); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function keyOf(r) { return r.dataset + '\t' + r.id; }
  function save() { localStorage.setItem(storeKey, JSON.stringify(state)); }

  // Banners first: a failed or simulated run is said before anything else.
  var banners = document.getElementById('banners');
  (data.banners || []).forEach(function (b) {
    var d = el('p', 'banner ' + (b.kind === 'failed' ? 'failed' : 'simulated'), b.text);
    d.setAttribute('role', 'alert'); d.setAttribute('data-banner', b.kind); banners.appendChild(d);
  });

  // Summary on top.
  var summary = document.getElementById('summary');
  Object.keys(data.summary).forEach(function (k) {
    var d = el('div'); d.appendChild(el('dt', null, k)); d.appendChild(el('dd', null, data.summary[k]));
    summary.appendChild(d);
  });

  // Charts: drawn as SVG, so every label is text in the page; categories run down the side with
  // room to wrap (never cut), values use short numbers (150k), and a table under each chart says the same.
  var charts = document.getElementById('charts');
  var drawn = [];
  function short(v) {
    var a = Math.abs(v);
    return a >= 1e6 ? +(v / 1e6).toFixed(1) + 'M' : a >= 1e3 ? +(v / 1e3).toFixed(1) + 'k' : String(v);
  }
  data.charts.forEach(function (c) {
    var box = el('figure', 'chart-box'); charts.appendChild(box);
    var div = el('div', 'chart'); div.setAttribute('data-chart', c.title); box.appendChild(div);
    var lines = c.labels.reduce(function (n, l) { return n + Math.max(1, Math.ceil(String(l).length / 28)); }, 0);
    div.style.height = Math.max(220, 70 + 22 * lines) + 'px';
    var chart = echarts.init(div, null, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      title: { text: c.title, left: 8, top: 6, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: c.series.length > 1 ? { top: 6, right: 8 } : undefined,
      grid: { left: 8, right: 28, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: short, hideOverlap: true } },
      yAxis: { type: 'category', inverse: true, data: c.labels,
        axisLabel: { width: 200, overflow: 'break', interval: 0, lineHeight: 14 } },
      series: c.series.map(function (s) { return { name: s.name, type: 'bar', stack: c.stacked ? 'all' : undefined, data: s.values }; })
    });
    drawn.push(chart);
    var det = el('details', 'chart-table'); det.appendChild(el('summary', null, 'table'));
    var t = el('table'); var head = el('tr'); head.appendChild(el('th', null, ''));
    c.series.forEach(function (s) { head.appendChild(el('th', null, s.name)); }); t.appendChild(head);
    c.labels.forEach(function (l, i) {
      var tr = el('tr'); tr.appendChild(el('td', null, l));
      c.series.forEach(function (s) { tr.appendChild(el('td', 'num', s.values[i].toLocaleString('en'))); });
      t.appendChild(tr);
    });
    det.appendChild(t); box.appendChild(det);
  });
  window.addEventListener('resize', function () { drawn.forEach(function (c) { c.resize(); }); });

  // Verdicts summary, when the review was run with --verdicts.
  if (data.verdictsSummary) {
    var vs = document.getElementById('verdicts-summary'); vs.hidden = false;
    vs.appendChild(el('h2', null, 'Verdicts'));
    var t = el('table'); var head = el('tr');
    ['dataset', 'stratum', 'accepted / judged', 'rate', 'Wilson 95 %'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    t.appendChild(head);
    function row(ds, st, v) {
      var tr = el('tr');
      [ds, st, v.accepted + ' / ' + v.judged, v.rate === undefined ? '' : (100 * v.rate).toFixed(1) + ' %',
        v.low === undefined ? '' : (100 * v.low).toFixed(1) + ' – ' + (100 * v.high).toFixed(1) + ' %']
        .forEach(function (x) { tr.appendChild(el('td', null, x)); });
      t.appendChild(tr);
    }
    row('all', '', data.verdictsSummary.overall);
    Object.keys(data.verdictsSummary.strata).forEach(function (ds) {
      Object.keys(data.verdictsSummary.strata[ds]).forEach(function (st) { row(ds, st, data.verdictsSummary.strata[ds][st]); });
    });
    vs.appendChild(t);
  }

  // The sampled records.
  var list = document.getElementById('records');
  var cards = [];
  data.sample.forEach(function (r, i) {
    var card = el('article', 'record'); card.tabIndex = -1; card.id = 'record-' + i;
    card.setAttribute('data-key', keyOf(r));
    var h = el('h2', null, (i + 1) + '. ' + r.dataset + ' · ' + r.stratum + ' · ' + r.id);
    h.appendChild(el('span', 'verdict'));
    card.appendChild(h);
    (r.transcript || []).forEach(function (t) {
      var b = el('div', 'turn ' + (t.role === 'system' || t.role === 'user' || t.role === 'assistant' ? t.role : 'user'));
      b.appendChild(el('span', 'who', t.role));
      b.appendChild(document.createTextNode(t.content));
      if (t.note) { b.appendChild(el('span', 'note', t.note)); }
      card.appendChild(b);
    });
    var det = el('details'); det.open = r.dataset === 'dead letters';
    det.appendChild(el('summary', null, r.dataset === 'dead letters' ? 'dead letter' : 'provenance and fields'));
    det.appendChild(el('pre', null, JSON.stringify(r.facts, null, 2)));
    card.appendChild(det);
    var note = el('textarea', 'note'); note.placeholder = 'note (n)';
    note.value = (state[keyOf(r)] || {}).note || '';
    note.addEventListener('input', function () { record(i, undefined, note.value); });
    card.appendChild(note);
    card.addEventListener('click', function () { focus(i); });
    list.appendChild(card); cards.push(card);
  });

  var current = 0;
  function paint(i) {
    var v = state[keyOf(data.sample[i])] || {};
    cards[i].classList.toggle('accept', v.verdict === 'accept');
    cards[i].classList.toggle('reject', v.verdict === 'reject');
    cards[i].querySelector('.verdict').textContent = v.verdict || '';
  }
  function progress() {
    var judged = 0, accepted = 0;
    Object.keys(state).forEach(function (k) { if (state[k].verdict) { judged++; if (state[k].verdict === 'accept') { accepted++; } } });
    document.getElementById('progress').textContent = judged + ' of ' + data.sample.length + ' judged, ' + accepted + ' accepted';
    window.reviewState = { judged: judged, accepted: accepted, current: current, charts: drawn.length };
  }
  function focus(i, noScroll) {
    if (!cards.length) { return; }
    cards[current].classList.remove('current');
    current = Math.max(0, Math.min(cards.length - 1, i));
    cards[current].classList.add('current');
    if (!noScroll) { cards[current].scrollIntoView({ block: 'nearest' }); }
    progress();
  }
  function record(i, verdict, note) {
    var r = data.sample[i], k = keyOf(r);
    var v = state[k] || { dataset: r.dataset, id: r.id, stratum: r.stratum };
    if (verdict !== undefined) { v.verdict = verdict; }
    if (note !== undefined) { v.note = note; }
    v.reviewer = reviewer.value; v.time = new Date().toISOString();
    state[k] = v; save(); paint(i); progress();
  }
  function exportVerdicts() {
    var lines = Object.keys(state).filter(function (k) { return state[k].verdict; }).map(function (k) {
      var v = state[k];
      return JSON.stringify({ dataset: v.dataset, id: v.id, stratum: v.stratum, verdict: v.verdict,
        note: v.note || '', reviewer: v.reviewer || reviewer.value, time: v.time, runId: data.summary.runId });
    });
    var blob = new Blob([lines.join('\n') + (lines.length ? '\n' : '')], { type: 'application/x-ndjson' });
    var a = document.createElement('a'); a.href = URL.createObjectURL(blob); a.download = 'verdicts.jsonl';
    document.body.appendChild(a); a.click(); a.remove();
  }
  document.getElementById('export').addEventListener('click', exportVerdicts);
  document.addEventListener('keydown', function (e) {
    var typing = e.target.tagName === 'TEXTAREA' || e.target.tagName === 'INPUT';
    if (typing) { if (e.key === 'Escape') { e.target.blur(); } return; }
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    switch (e.key) {
      case 'j': case 'ArrowDown': focus(current + 1); break;
      case 'k': case 'ArrowUp': focus(current - 1); break;
      case 'a': record(current, 'accept'); focus(current + 1); break;
      case 'r': record(current, 'reject'); focus(current + 1); break;
      case 'u': record(current, null); break;
      case 'n': cards[current].querySelector('textarea').focus(); break;
      case 'e': exportVerdicts(); break;
      default: return;
    }
    e.preventDefault();
  });
  cards.forEach(function (c, i) { paint(i); });
  focus(0, true);
})();
