// Upcycle monitor dashboard: polls the live JSON API every second and draws every stored point
// of every curve (no sampling), with the stop decision marked on each curve.
'use strict';
const SVG = 'http://www.w3.org/2000/svg';
const W = 560, H = 220, PAD = { l: 50, r: 12, t: 12, b: 28 };
let selected = decodeURIComponent((location.hash.match(/run=([^&]+)/) || [])[1] || '');

function el(name, attrs, text) {
  const node = name.startsWith('svg:') ? document.createElementNS(SVG, name.slice(4)) : document.createElement(name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function fmt(v) { return v === null || v === undefined ? '–' : (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(4)); }

let unavailable = '';

async function getJson(path) {
  const r = await fetch(path, { cache: 'no-store' });
  if (!r.ok) throw new Error(path + ': ' + r.status + ' ' + (await r.text()));
  if (path === 'api/runs') unavailable = r.headers.get('Upcycle-Unavailable-Instances') || '';
  return r.json();
}

function renderRuns(runs) {
  const body = document.querySelector('#runs tbody');
  body.replaceChildren();
  for (const run of runs) {
    const tr = el('tr', { class: 'run' + (run.runId === selected ? ' selected' : ''), 'data-run-id': run.runId, 'data-state': run.state });
    tr.append(el('td', {}, run.runId), el('td', {}, run.task), el('td', { class: 'state-' + run.state },
      run.state + (run.incomplete ? ' (incomplete: ' + run.missingSteps + ' steps missing)' : '')),
      el('td', {}, String(run.lastStep)), el('td', {}, run.signalName + ' ' + fmt(run.signal)),
      el('td', {}, run.decision ? run.decision.policy + ' @ step ' + run.decision.step
        + (run.decision.checkpointStep !== undefined ? ' → ckpt ' + run.decision.checkpointStep : '') : ''));
    tr.addEventListener('click', () => { selected = run.runId; location.hash = 'run=' + encodeURIComponent(selected); tick(); });
    body.append(tr);
  }
}

// One chart: each series is one <path> through every non-null point; the decision is a vertical line.
function chart(title, steps, series, decision) {
  const fig = el('figure', { 'data-chart': title });
  fig.append(el('figcaption', {}, title));
  const svg = el('svg:svg', { class: 'chart', width: W, height: H, viewBox: `0 0 ${W} ${H}` });
  const values = series.flatMap(s => s.values.filter(v => v !== null));
  const x0 = steps.length ? steps[0] : 0, x1 = steps.length ? Math.max(steps[steps.length - 1], x0 + 1) : 1;
  let y0 = values.length ? Math.min(...values) : 0, y1 = values.length ? Math.max(...values) : 1;
  if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
  const X = s => PAD.l + (s - x0) / (x1 - x0) * (W - PAD.l - PAD.r);
  const Y = v => H - PAD.b - (v - y0) / (y1 - y0) * (H - PAD.t - PAD.b);
  svg.append(el('svg:line', { class: 'axis', x1: PAD.l, y1: H - PAD.b, x2: W - PAD.r, y2: H - PAD.b }),
    el('svg:line', { class: 'axis', x1: PAD.l, y1: PAD.t, x2: PAD.l, y2: H - PAD.b }),
    el('svg:text', { x: 2, y: PAD.t + 8 }, fmt(y1)), el('svg:text', { x: 2, y: H - PAD.b }, fmt(y0)),
    el('svg:text', { x: PAD.l, y: H - 8 }, 'step ' + x0), el('svg:text', { x: W - PAD.r - 60, y: H - 8 }, 'step ' + x1));
  for (const s of series) {
    let d = '', drawn = 0, pen = false;
    s.values.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      d += (pen ? 'L' : 'M') + X(steps[i]).toFixed(2) + ',' + Y(v).toFixed(2);
      pen = true; drawn++;
    });
    svg.append(el('svg:path', { class: 'series', d, fill: 'none', stroke: s.color, 'stroke-width': 1.5,
      'data-series': s.name, 'data-points': drawn }));
  }
  if (decision) {
    const x = X(decision.decidedAtStep);
    svg.append(el('svg:line', { class: 'decision-marker', x1: x, y1: PAD.t, x2: x, y2: H - PAD.b,
      'data-step': decision.decidedAtStep, 'data-policy': decision.policy }));
    svg.append(el('svg:text', { x: Math.min(x + 3, W - 120), y: PAD.t + 10 }, 'stop @ ' + decision.decidedAtStep));
  }
  fig.append(svg);
  return fig;
}

function renderEvidence(d) {
  const box = document.getElementById('evidence');
  box.replaceChildren();
  if (!d) { box.textContent = 'no decision yet'; box.removeAttribute('data-decision-id'); return; }
  box.setAttribute('data-decision-id', d.decisionId);
  const dl = el('dl');
  const add = (k, v) => dl.append(el('dt', {}, k), el('dd', { 'data-field': k }, v));
  add('reason', d.reason);
  add('policy', d.policy + ' v' + d.policyVersion + ' ' + JSON.stringify(d.parameters));
  add('mode', d.mode);
  add('decided at step', String(d.decidedAtStep));
  add('checkpoint', d.checkpointStep === null ? 'none' : 'step ' + d.checkpointStep + ' ' + d.checkpointUri + ' (sha256 ' + d.checkpointSha256 + ')');
  add('top hard examples', d.topHardExampleIds.join(', '));
  for (const s of d.signals) add('evidence window: ' + s.name, s.steps.map((st, i) => st + ':' + fmt(s.values[i])).join(' '));
  box.append(dl);
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
  charts.replaceChildren(chart('training loss', c.steps, [
    { name: 'trainLoss', values: c.trainLoss, color: '#1565c0' },
    { name: 'fullPassLoss', values: c.fullPassLoss, color: '#2e7d32' }], run.decision));
  const colors = ['#c62828', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037'];
  Object.keys(c.signals).forEach((name, i) =>
    charts.append(chart(name, c.steps, [{ name, values: c.signals[name], color: colors[i % colors.length] }], run.decision)));
  renderEvidence(run.decision);
}

async function tick() {
  try {
    const runs = await getJson('api/runs');
    if (!selected && runs.length) selected = runs[runs.length - 1].runId;
    renderRuns(runs);
    if (selected) renderDetail(await getJson('api/runs/' + encodeURIComponent(selected)));
    document.getElementById('status').textContent = runs.length + ' runs, updated ' + new Date().toLocaleTimeString()
      + (unavailable ? ' (partial: no answer from ' + unavailable + ')' : '');
  } catch (e) {
    document.getElementById('status').textContent = 'error: ' + e.message;
  }
}

tick();
setInterval(tick, 1000);
