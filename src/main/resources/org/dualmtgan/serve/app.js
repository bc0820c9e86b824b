// The page talks to the JSON API only: GET /api/v1/models and /demos, then one POST per run with
// format=json, which returns every result as base64 GIF and MP4 so no second request is needed.
// Paths are relative, so the page also works behind a proxy that serves it under a sub-path.
'use strict';

const API = 'api/v1';
const $ = (id) => document.getElementById(id);
const form = $('run-form');
let models = [];
let demos = [];
let objectUrls = [];

function mode() {
  return form.querySelector('input[name=mode]:checked').value;
}

/** Shows the parts of the form the chosen mode uses. */
function showMode() {
  const m = mode();
  for (const el of document.querySelectorAll('[data-modes]')) {
    el.hidden = !el.dataset.modes.split(' ').includes(m);
  }
}

function showCard() {
  const info = models.find((x) => x.name === $('model').value);
  if (!info) { $('model-card').textContent = ''; return; }
  const parts = [`${info.size}\u00d7${info.size} px`, `${info.frames}-frame clips`];
  const card = info.card || {};
  if (card.config) parts.push(`config ${card.config}`);
  if (card.step !== undefined) parts.push(`${card.step} training steps`);
  if (card.data) parts.push(`trained on ${card.data}`);
  $('model-card').textContent = parts.join(' \u00b7 ');
  $('frames').placeholder = String(info.frames);
}

async function getJson(path) {
  const r = await fetch(API + path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

async function init() {
  form.addEventListener('change', (e) => {
    if (e.target.name === 'mode') showMode();
  });
  showMode();
  $('model').addEventListener('change', showCard);
  $('new-seed').addEventListener('click', () => { $('seed').value = String(Math.floor(Math.random() * 1e9)); });
  $('image').addEventListener('change', preview);
  $('imageDemo').addEventListener('change', preview);
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  try {
    models = (await getJson('/models')).models;
    for (const m of models) $('model').add(new Option(m.name, m.name, m.default, m.default));
    if (!models.length) showError('The server has no models loaded.');
    showCard();
  } catch (err) {
    showError(`Cannot reach the API: ${err.message}`);
  }
  try {
    demos = (await getJson('/demos')).demos;
    listDemos();
    $('model').addEventListener('change', listDemos);
  } catch (err) {
    // Demo inputs are optional.
  }
}

/** Fills the example pickers: the expected kind first, and within it the chosen model's own inputs first. */
function listDemos() {
  if (!demos.length) return;
  const model = $('model').value;
  for (const sel of document.querySelectorAll('select[data-kind]')) {
    const keep = sel.value;
    sel.replaceChildren(new Option('(choose)', ''));
    const rank = (d) => (d.kind === sel.dataset.kind ? 0 : 2) + (d.model === undefined || d.model === model ? 0 : 1);
    const sorted = demos.slice().sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    for (const d of sorted) {
      const text = d.label ? `${d.name}: ${d.label}` : `${d.name} (${d.kind})`;
      sel.add(new Option(text, d.name, false, d.name === keep));
    }
    sel.closest('.demo').hidden = false;
  }
}

function preview() {
  const img = document.querySelector('[data-field=image] .preview');
  const file = $('image').files[0];
  const demo = $('imageDemo').value;
  if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
  if (file && file.type.startsWith('image/')) {
    img.src = URL.createObjectURL(file);
  } else if (!file && demo) {
    img.src = `${API}/demos/${encodeURIComponent(demo)}`;
  } else {
    img.hidden = true;
    return;
  }
  img.alt = 'Preview of the image';
  img.hidden = false;
}

function showError(message, field) {
  const p = $('error');
  p.textContent = field ? `${message} (field: ${field})` : message;
  p.hidden = false;
  const el = field && $(field.replace(/Demo$/, ''));
  if (el && !el.closest('[hidden]')) el.focus();
}

/** Adds one input: the file if one is chosen, else the example's name. */
function addInput(data, field) {
  const file = $(field).files[0];
  const demo = $(field + 'Demo').value;
  if (file) data.append(field, file, file.name);
  else if (demo) data.append(field + 'Demo', demo);
}

function addNumber(data, name) {
  const v = $(name).value.trim();
  if (v !== '') data.append(name, v);
}

async function run() {
  $('error').hidden = true;
  const m = mode();
  const data = new FormData();
  data.append('model', $('model').value);
  data.append('format', 'json');
  data.append('media', 'gif,mp4');
  if ($('sheet').checked) data.append('sheet', 'true');
  if (m === 'transfer') { addInput(data, 'image'); addInput(data, 'driving'); }
  if (m === 'reconstruct') addInput(data, 'video');
  if (m === 'interpolate') {
    addInput(data, 'image'); addInput(data, 'motionA'); addInput(data, 'motionB'); addNumber(data, 'steps');
  }
  if (m === 'generate') {
    addInput(data, 'image');
    for (const n of ['n', 'seed', 'frames', 'given']) addNumber(data, n);
  }
  const button = $('run');
  button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  $('status').textContent = 'Working\u2026';
  const t0 = performance.now();
  try {
    const r = await fetch(`${API}/${m}`, { method: 'POST', body: data });
    const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
    if (!r.ok) {
      showError(body.error || `HTTP ${r.status}`, body.field);
      $('status').textContent = '';
      return;
    }
    showResults(body);
    $('status').textContent = `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
  } catch (err) {
    showError(`Request failed: ${err.message}`);
    $('status').textContent = '';
  } finally {
    button.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

function blobUrl(base64, type) {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  objectUrls.push(url);
  return url;
}

function link(url, name, text) {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.textContent = text;
  return a;
}

function showResults(doc) {
  for (const u of objectUrls) URL.revokeObjectURL(u);
  objectUrls = [];
  const items = $('items');
  items.replaceChildren();
  const weights = doc.weights || [];
  doc.items.forEach((it, i) => {
    const fig = document.createElement('figure');
    const img = document.createElement('img');
    const gif = blobUrl(it.gif, 'image/gif');
    img.src = gif;
    const what = doc.operation === 'interpolate' ? `blend ${i + 1} of ${doc.items.length}, weight of motion A ${weights[i].toFixed(2)}`
      : doc.operation === 'generate' ? `sample ${i + 1} of ${doc.items.length}, seed ${doc.seed}` : doc.operation;
    img.alt = `Result: ${what}, ${it.frames} frames`;
    const cap = document.createElement('figcaption');
    cap.append(`${it.name} \u00b7 ${it.frames} frames `, document.createElement('br'), 'Download: ',
      link(gif, `${it.name}.gif`, 'GIF'));
    if (it.mp4) cap.append(' ', link(blobUrl(it.mp4, 'video/mp4'), `${it.name}.mp4`, 'MP4'));
    fig.append(img, cap);
    items.append(fig);
  });
  const sheet = $('sheet-figure');
  if (doc.sheet) {
    const url = blobUrl(doc.sheet, 'image/png');
    $('sheet-img').src = url;
    $('sheet-link').href = url;
    sheet.hidden = false;
  } else {
    sheet.hidden = true;
  }
  $('results').hidden = false;
  $('results-title').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

init();
