// Upcycle monitor dashboard: polls the live JSON API every second and draws every stored point
// of every curve (no sampling), with the stop decision marked on each curve. Runs can be filtered
// (text, or key=value on their labels) and several compared on overlaid curves; hovering a chart
// shows each curve's value at the step under the pointer. The address keeps the view:
// #run=ID&compare=A,B&filter=TEXT&hover=STEP.
'use strict';
const SVG = 'http://www.w3.org/2000/svg';
const W = 560, H = 220, PAD = { l: 50, r: 12, t: 12, b: 28 };
const SMALL = { w: 260, h: 90 };
const PALETTE = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#ad1457', '#558b2f', '#283593'];

const view = readHash();
let unavailable = '';
let lastRuns = [];
// A monitor off loopback needs its bearer token: given once as #token=..., kept for this tab, never in the address.
const tokenInHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (tokenInHash) sessionStorage.setItem('upcycle-token', tokenInHash);
const token = sessionStorage.getItem('upcycle-token');

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return {
    run: params.get('run') || '',
    compare: (params.get('compare') || '').split(',').filter(Boolean),
    filter: params.get('filter') || '',
    hover: params.has('hover') ? Number(params.get('hover')) : null,
  };
}

function writeHash() {
  const params = new URLSearchParams();
  if (view.run) params.set('run', view.run);
  if (view.compare.length) params.set('compare', view.compare.join(','));
  if (view.filter) params.set('filter', view.filter);
  if (view.hover !== null) params.set('hover', String(view.hover));
  history.replaceState(null, '', '#' + params.toString());
}

function el(name, attrs, text) {
  const node = name.startsWith('svg:') ? document.createElementNS(SVG, name.slice(4)) : document.createElement(name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function fmt(v) { return v === null || v === undefined ? '–' : (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(4)); }

async function getJson(path) {
  const r = await fetch(path, { cache: 'no-store', headers: token ? { Authorization: 'Bearer ' + token } : {} });
  if (r.status === 401) throw new Error('this monitor needs its token: open the address it printed at start (…#token=…)');
  if (!r.ok) throw new Error(path + ': ' + r.status + ' ' + (await r.text()));
  if (path === 'api/runs') unavailable = r.headers.get('Upcycle-Unavailable-Instances') || '';
  return r.json();
}

// A run matches the filter when every word does: "key=value" a label exactly, other text the run id, task or a label.
function matches(run, filter) {
  const labels = Object.entries(run.labels || {});
  return filter.split(/\s+/).filter(Boolean).every(word => {
    const eq = word.indexOf('=');
    if (eq > 0) return (run.labels || {})[word.slice(0, eq)] === word.slice(eq + 1);
    const w = word.toLowerCase();
    return run.runId.toLowerCase().includes(w) || run.task.toLowerCase().includes(w)
      || labels.some(([k, v]) => (k + '=' + v).toLowerCase().includes(w));
  });
}

function colorOf(runId) { const i = view.compare.indexOf(runId); return PALETTE[(i < 0 ? 0 : i) % PALETTE.length]; }

function renderRuns(runs) {
  const body = document.querySelector('#runs tbody');
  body.replaceChildren();
  const shown = runs.filter(run => matches(run, view.filter));
  for (const run of shown) {
    const tr = el('tr', { class: 'run' + (run.runId === view.run ? ' selected' : ''), 'data-run-id': run.runId, 'data-state': run.state });
    const box = el('input', { type: 'checkbox', class: 'compare', 'data-run-id': run.runId, title: 'compare' });
    if (view.compare.includes(run.runId)) box.setAttribute('checked', ''); // the attribute: the state shows in the DOM
    box.addEventListener('click', e => {
      e.stopPropagation();
      view.compare = box.checked ? [...view.compare, run.runId] : view.compare.filter(id => id !== run.runId);
      writeHash(); tick();
    });
    const labels = el('td', { class: 'labels' });
    for (const [k, v] of Object.entries(run.labels || {})) {
      const chip = el('span', { class: 'label', 'data-label': k + '=' + v, title: 'filter by ' + k + '=' + v }, k + '=' + v);
      chip.addEventListener('click', e => { e.stopPropagation(); setFilter(k + '=' + v); });
      labels.append(chip);
    }
    tr.append(el('td', {}, ''), el('td', {}, run.runId), el('td', {}, run.task), el('td', { class: 'state-' + run.state },
      run.state + (run.incomplete ? ' (incomplete: ' + run.missingSteps + ' steps missing)' : '')),
      el('td', {}, String(run.lastStep)), el('td', {}, run.signalName + ' ' + fmt(run.signal)),
      el('td', {}, run.decision ? run.decision.policy + ' @ step ' + run.decision.step
        + (run.decision.checkpointStep !== undefined ? ' → ckpt ' + run.decision.checkpointStep : '') : ''), labels);
    tr.firstChild.append(box);
    tr.addEventListener('click', () => { view.run = run.runId; writeHash(); tick(); });
    body.append(tr);
  }
  document.getElementById('shown').textContent = view.filter ? shown.length + ' of ' + runs.length + ' runs match' : '';
  return shown;
}

function setFilter(text) {
  view.filter = text;
  document.getElementById('filter').value = text;
  writeHash(); tick();
}

// The index of the last step at or before `step` (steps ascending), or -1.
function indexAtOrBefore(steps, step) {
  let lo = 0, hi = steps.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] <= step) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
  }
  return found;
}

// One chart. Each series {name, steps, values, color} is one <path> through every non-null point;
// each marker {step, color, policy} a vertical line; hovering shows every series' value at a step.
function chart(title, series, markers, size) {
  const w = size ? size.w : W, h = size ? size.h : H;
  const fig = el('figure', { 'data-chart': title });
  fig.append(el('figcaption', {}, title));
  const svg = el('svg:svg', { class: 'chart', width: w, height: h, viewBox: `0 0 ${w} ${h}` });
  const values = series.flatMap(s => s.values.filter(v => v !== null));
  const allSteps = series.flatMap(s => s.steps);
  const x0 = allSteps.length ? Math.min(...allSteps) : 0;
  const x1 = allSteps.length ? Math.max(Math.max(...allSteps), x0 + 1) : 1;
  let y0 = values.length ? Math.min(...values) : 0, y1 = values.length ? Math.max(...values) : 1;
  if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
  const X = s => PAD.l + (s - x0) / (x1 - x0) * (w - PAD.l - PAD.r);
  const Y = v => h - PAD.b - (v - y0) / (y1 - y0) * (h - PAD.t - PAD.b);
  svg.append(el('svg:line', { class: 'axis', x1: PAD.l, y1: h - PAD.b, x2: w - PAD.r, y2: h - PAD.b }),
    el('svg:line', { class: 'axis', x1: PAD.l, y1: PAD.t, x2: PAD.l, y2: h - PAD.b }),
    el('svg:text', { x: 2, y: PAD.t + 8 }, fmt(y1)), el('svg:text', { x: 2, y: h - PAD.b }, fmt(y0)),
    el('svg:text', { x: PAD.l, y: h - 8 }, 'step ' + x0), el('svg:text', { x: w - PAD.r - 60, y: h - 8 }, 'step ' + x1));
  for (const s of series) {
    let d = '', drawn = 0, pen = false;
    s.values.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      d += (pen ? 'L' : 'M') + X(s.steps[i]).toFixed(2) + ',' + Y(v).toFixed(2);
      pen = true; drawn++;
    });
    svg.append(el('svg:path', { class: 'series', d, fill: 'none', stroke: s.color, 'stroke-width': 1.5,
      'data-series': s.name, 'data-points': drawn }));
  }
  for (const m of markers) {
    const x = X(m.step);
    svg.append(el('svg:line', { class: 'decision-marker', x1: x, y1: PAD.t, x2: x, y2: h - PAD.b, stroke: m.color,
      'data-step': m.step, 'data-policy': m.policy }));
    if (!size) svg.append(el('svg:text', { x: Math.min(x + 3, w - 120), y: PAD.t + 10 }, 'stop @ ' + m.step));
  }
  const hover = el('svg:g', { class: 'hover' });
  svg.append(hover);
  const showAt = step => {
    hover.replaceChildren();
    if (step === null || step < x0 || step > x1) { hover.removeAttribute('data-step'); return; }
    hover.setAttribute('data-step', step);
    hover.append(el('svg:line', { class: 'cursor', x1: X(step), y1: PAD.t, x2: X(step), y2: h - PAD.b }));
    const lines = ['step ' + step];
    const texts = [];
    for (const s of series) {
      const i = indexAtOrBefore(s.steps, step);
      const v = i < 0 ? null : s.values[i];
      lines.push(s.name + ': ' + fmt(v));
      texts.push({ series: s.name, value: v === null ? '' : String(v), color: s.color });
    }
    const left = X(step) > w / 2;
    const tx = left ? X(step) - 6 : X(step) + 6;
    lines.forEach((line, k) => {
      const t = el('svg:text', { class: 'hover-text', x: tx, y: PAD.t + 12 + 13 * k, 'text-anchor': left ? 'end' : 'start' }, line);
      if (k > 0) { t.setAttribute('data-series', texts[k - 1].series); t.setAttribute('data-value', texts[k - 1].value);
        t.setAttribute('fill', texts[k - 1].color); }
      hover.append(t);
    });
  };
  svg.addEventListener('mousemove', e => {
    const box = svg.getBoundingClientRect();
    const step = Math.round(x0 + ((e.clientX - box.left) * w / box.width - PAD.l) / (w - PAD.l - PAD.r) * (x1 - x0));
    view.hover = Math.max(x0, Math.min(x1, step));
    writeHash();
    document.querySelectorAll('svg.chart').forEach(c => c.showAt && c.showAt(view.hover));
  });
  svg.addEventListener('mouseleave', () => {
    view.hover = null; writeHash();
    document.querySelectorAll('svg.chart').forEach(c => c.showAt && c.showAt(null));
  });
  svg.showAt = showAt;
  showAt(view.hover);
  fig.append(svg);
  return fig;
}

// The decision's evidence: a small chart per signal window the policy looked at, then the facts.
function renderEvidence(d) {
  const box = document.getElementById('evidence');
  box.replaceChildren();
  if (!d) { box.textContent = 'no decision yet'; box.removeAttribute('data-decision-id'); return; }
  box.setAttribute('data-decision-id', d.decisionId);
  const small = el('div', { class: 'charts evidence-charts' });
  d.signals.forEach((s, i) => {
    const fig = chart('evidence: ' + s.name, [{ name: s.name, steps: s.steps, values: s.values, color: PALETTE[(i + 1) % PALETTE.length] }],
      [{ step: d.decidedAtStep, color: '#c62828', policy: d.policy }], SMALL);
    fig.setAttribute('data-evidence', s.name);
    fig.querySelector('svg').setAttribute('aria-label', s.steps.map((st, k) => st + ':' + fmt(s.values[k])).join(' '));
    small.append(fig);
  });
  const dl = el('dl');
  const add = (k, v) => dl.append(el('dt', {}, k), el('dd', { 'data-field': k }, v));
  add('reason', d.reason);
  add('policy', d.policy + ' v' + d.policyVersion + ' ' + JSON.stringify(d.parameters));
  add('mode', d.mode);
  add('decided at step', String(d.decidedAtStep));
  add('checkpoint', d.checkpointStep === null ? 'none' : 'step ' + d.checkpointStep + ' ' + d.checkpointUri + ' (sha256 ' + d.checkpointSha256 + ')');
  add('top hard examples', d.topHardExampleIds.join(', '));
  box.append(small, dl);
}

function renderDetail(run) {
  document.getElementById('detail').hidden = false;
  const title = document.getElementById('detail-title');
  title.textContent = run.runId + ' (' + run.task + ')';
  title.setAttribute('data-run-id', run.runId);
  document.getElementById('detail-summary').textContent = run.state + ', step ' + run.lastStep + ', '
    + run.curve.points + ' steps on the curves, ' + run.examplesSeen + ' of ' + run.exampleCount + ' examples seen, '
    + run.checkpoints.length + ' checkpoints'
    + (run.incomplete ? '; INCOMPLETE LOG: ' + run.missingSteps + ' steps missing ('
      + run.gaps.map(g => g[0] === g[1] ? String(g[0]) : g[0] + '-' + g[1]).join(', ') + ')' : '');
  const c = run.curve, charts = document.getElementById('charts');
  const markers = run.decision ? [{ step: run.decision.decidedAtStep, color: '#c62828', policy: run.decision.policy }] : [];
  charts.replaceChildren(chart('training loss', [
    { name: 'trainLoss', steps: c.steps, values: c.trainLoss, color: '#1565c0' },
    { name: 'fullPassLoss', steps: c.steps, values: c.fullPassLoss, color: '#2e7d32' }], markers));
  Object.keys(c.signals).forEach((name, i) =>
    charts.append(chart(name, [{ name, steps: c.steps, values: c.signals[name], color: PALETTE[(i + 1) % PALETTE.length] }], markers)));
  renderEvidence(run.decision);
}

// Several runs on shared charts: the training loss and every signal any of them has, one colour per run.
function renderCompare(runs) {
  const section = document.getElementById('compare');
  section.hidden = runs.length < 2;
  if (runs.length < 2) return;
  const legend = document.getElementById('compare-legend');
  legend.replaceChildren(...runs.map(run => el('span', { class: 'legend', 'data-run-id': run.runId, style: 'color:' + colorOf(run.runId) },
    '■ ' + run.runId + ' (' + run.task + ')')));
  const markers = runs.filter(r => r.decision).map(r => ({ step: r.decision.decidedAtStep, color: colorOf(r.runId), policy: r.decision.policy }));
  const charts = document.getElementById('compare-charts');
  charts.replaceChildren(chart('training loss', runs.map(r => ({ name: r.runId, steps: r.curve.steps, values: r.curve.trainLoss,
    color: colorOf(r.runId) })), markers));
  const names = [...new Set(runs.flatMap(r => Object.keys(r.curve.signals)))];
  for (const name of names) {
    charts.append(chart(name, runs.filter(r => r.curve.signals[name]).map(r => ({ name: r.runId, steps: r.curve.steps,
      values: r.curve.signals[name], color: colorOf(r.runId) })), markers));
  }
}

async function tick() {
  try {
    lastRuns = await getJson('api/runs');
    const shown = renderRuns(lastRuns);
    if (!view.run && shown.length) view.run = shown[shown.length - 1].runId;
    const known = new Set(lastRuns.map(r => r.runId));
    const compared = await Promise.all(view.compare.filter(id => known.has(id)).map(id => getJson('api/runs/' + encodeURIComponent(id))));
    renderCompare(compared);
    if (view.run) renderDetail(await getJson('api/runs/' + encodeURIComponent(view.run)));
    document.getElementById('status').textContent = lastRuns.length + ' runs, updated ' + new Date().toLocaleTimeString()
      + (unavailable ? ' (partial: no answer from ' + unavailable + ')' : '');
  } catch (e) {
    document.getElementById('status').textContent = 'error: ' + e.message;
  }
}

writeHash(); // drops a #token=... from the address bar
document.getElementById('filter').value = view.filter;
document.getElementById('filter').addEventListener('input', e => { view.filter = e.target.value.trim(); writeHash(); renderRuns(lastRuns); });
document.getElementById('compare-filtered').addEventListener('click', () => {
  view.compare = lastRuns.filter(run => matches(run, view.filter)).map(run => run.runId);
  writeHash(); tick();
});
document.getElementById('compare-clear').addEventListener('click', () => { view.compare = []; writeHash(); tick(); });
tick();
setInterval(tick, 1000);
