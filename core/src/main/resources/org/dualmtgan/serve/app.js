// The page talks to the JSON API only: GET /api/v1/models and /demos, then each run as a job
// (POST /api/v1/jobs/MODE with format=json, polled for its progress, then its result: every video as
// base64 GIF and MP4). A server started with a token answers 401 until the page sends it: the page
// asks once and keeps it for the browser tab (sessionStorage). Paths are relative, so the page also
// works behind a proxy that serves it under a sub-path.
'use strict';

const API = 'api/v1';
const $ = (id) => document.getElementById(id);
const form = $('run-form');
let models = [];
let demos = [];
let objectUrls = [];
let currentJob = null;
/** The last generate request's settings, for "More samples". */
let lastGenerate = null;
const POLL_MS = 200;

function authHeaders() {
  const t = sessionStorage.getItem('dualmtgan-token');
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/** Thrown after a 401: the token form is showing and says what to do. */
class TokenNeeded extends Error {}

/** fetch() with the token; a 401 shows the token form and throws TokenNeeded. */
async function api(path, options = {}) {
  const r = await fetch(API + path, { ...options, headers: { ...(options.headers || {}), ...authHeaders() } });
  if (r.status === 401) {
    const had = Boolean(sessionStorage.getItem('dualmtgan-token'));
    $('token-form').hidden = false;
    $('token-wrong').hidden = !had;
    $('token').focus();
    throw new TokenNeeded(had ? 'The token was not accepted.' : 'Enter the server\'s access token.');
  }
  return r;
}

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
  // Absolute transfer exists for keypoint motion only.
  $('absolute').disabled = info.motion !== 'keypoints';
}

async function getJson(path) {
  const r = await api(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

async function loadModels() {
  $('error').hidden = true;
  try {
    models = (await getJson('/models')).models;
    $('model').replaceChildren();
    for (const m of models) $('model').add(new Option(m.name, m.name, m.default, m.default));
    if (!models.length) showError('The server has no models loaded.');
    showCard();
  } catch (err) {
    // Before a token is entered the token form is the whole message.
    if (!(err instanceof TokenNeeded)) showError(`Cannot reach the API: ${err.message}`);
    return;
  }
  try {
    demos = (await getJson('/demos')).demos;
    listDemos();
  } catch (err) {
    // Demo inputs are optional.
  }
}

async function init() {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('dualmtgan-token', $('token').value.trim());
    $('token-form').hidden = true;
    loadModels();
  });
  $('cancel').addEventListener('click', cancelJob);
  $('more').addEventListener('click', moreSamples);
  $('model').addEventListener('change', listDemos);
  form.addEventListener('change', (e) => {
    if (e.target.name === 'mode') showMode();
  });
  showMode();
  $('model').addEventListener('change', showCard);
  $('new-seed').addEventListener('click', () => { $('seed').value = String(Math.floor(Math.random() * 1e9)); });
  $('image').addEventListener('change', preview);
  $('imageDemo').addEventListener('change', preview);
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  await loadModels();
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

async function preview() {
  const img = document.querySelector('[data-field=image] .preview');
  const file = $('image').files[0];
  const demo = $('imageDemo').value;
  if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
  if (file && file.type.startsWith('image/')) {
    img.src = URL.createObjectURL(file);
  } else if (!file && demo) {
    // Through fetch, so the token goes with it (an <img src> cannot carry a header).
    const r = await api(`/demos/${encodeURIComponent(demo)}`).catch(() => null);
    if (!r || !r.ok) { img.hidden = true; return; }
    img.src = URL.createObjectURL(await r.blob());
  } else {
    img.hidden = true;
    return;
  }
  img.alt = 'Preview of the image';
  img.hidden = false;
}

/** The visible label of a form field (the API's field name when the page has no such field). */
function labelOf(field) {
  const id = field.replace(/Demo$/, '');
  const l = document.querySelector(`label[for="${id}"]`);
  if (!l) return field;
  // The label's own words, without its note in parentheses.
  const own = [...l.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
  return own || field;
}

/** The server's message in the page's words: the field's label instead of its API name. */
function showError(message, field) {
  const p = $('error');
  let text = message;
  if (field) {
    const label = labelOf(field);
    const name = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // The field's name where the message names it (first word, or quoted); the label in front otherwise.
    text = message.replace(new RegExp(`^${name}(?= )`), label).replace(new RegExp(`'${name}'`, 'g'), `'${label}'`);
    if (text === message) text = `${label}: ${message}`;
  }
  p.textContent = text;
  p.hidden = false;
  const el = field && $(field.replace(/Demo$/, ''));
  if (el && !el.closest('[hidden]')) el.focus();
}

/** Removes the shown results, the sheet and "More samples" (a new run replaces them, a failed one leaves none). */
function clearResults() {
  for (const u of objectUrls) URL.revokeObjectURL(u);
  objectUrls = [];
  $('items').replaceChildren();
  $('sheet-figure').hidden = true;
  $('results').hidden = true;
  lastGenerate = null;
}

/** Adds one input: the file if one is chosen, else the example's name. */
function addInput(data, field) {
  const file = $(field).files[0];
  const demo = $(field + 'Demo').value;
  if (file) data.append(field, file, file.name);
  else if (demo) data.append(field + 'Demo', demo);
}

/** Adds a typed field (a number or a crop) when it is not empty. */
function addNumber(data, name) {
  const v = $(name).value.trim();
  if (v !== '') data.append(name, v);
}

/** The form's request for the chosen mode. */
function request(m) {
  const data = new FormData();
  data.append('model', $('model').value);
  data.append('format', 'json');
  data.append('media', 'gif,mp4');
  if ($('sheet').checked) data.append('sheet', 'true');
  if (m === 'transfer') {
    addInput(data, 'image'); addInput(data, 'driving'); addNumber(data, 'imageCrop'); addNumber(data, 'drivingCrop');
    if ($('absolute').checked && !$('absolute').disabled) data.append('absolute', 'true');
  }
  if (m === 'reconstruct') addInput(data, 'video');
  if (m === 'interpolate') {
    addInput(data, 'image'); addInput(data, 'motionA'); addInput(data, 'motionB'); addNumber(data, 'steps');
  }
  if (m === 'generate') {
    addInput(data, 'image');
    for (const n of ['n', 'seed', 'frames', 'given', 'imageCrop']) addNumber(data, n);
  }
  return data;
}

function showProgress(job) {
  const p = job.progress || {};
  $('progress').value = p.fraction || 0;
  $('progress-text').textContent = p.framesTotal ? `${p.framesDone} of ${p.framesTotal} frames` : 'waiting for a worker';
}

/** Submits a job, polls it to the end; resolves to the result document, or null after an error or a cancel. */
async function runJob(m, data) {
  const r = await api(`/jobs/${m}`, { method: 'POST', body: data });
  const job = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
  if (!r.ok) { showError(job.error || `HTTP ${r.status}`, job.field); return null; }
  currentJob = job.id;
  $('progress-box').hidden = false;
  showProgress(job);
  for (;;) {
    await new Promise((ok) => setTimeout(ok, POLL_MS));
    if (currentJob !== job.id) return null;
    const s = await api(`/jobs/${job.id}`);
    if (!s.ok) { showError(s.status === 404 ? 'The job is gone (cancelled or expired).' : `HTTP ${s.status}`); return null; }
    const now = await s.json();
    showProgress(now);
    if (now.state === 'failed') { showError(now.error.error, now.error.field); return null; }
    if (now.state === 'cancelled') return null;
    if (now.state === 'done') {
      const res = await api(`/jobs/${job.id}/result`);
      const doc = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
      if (!res.ok) { showError(doc.error || `HTTP ${res.status}`, doc.field); return null; }
      await api(`/jobs/${job.id}`, { method: 'DELETE' }).catch(() => null);
      return doc;
    }
  }
}

async function cancelJob() {
  const id = currentJob;
  currentJob = null;
  if (id) await api(`/jobs/${id}`, { method: 'DELETE' }).catch(() => null);
  $('status').textContent = 'Cancelled.';
  $('progress-box').hidden = true;
}

async function run(append = false) {
  $('error').hidden = true;
  const m = mode();
  if (!append) clearResults();
  const data = append ? lastGenerate.next() : request(m);
  const button = $('run');
  button.disabled = true;
  $('more').disabled = true;
  form.setAttribute('aria-busy', 'true');
  $('status').textContent = 'Working\u2026';
  const t0 = performance.now();
  try {
    const doc = await runJob(append ? 'generate' : m, data);
    if (!doc) { if ($('status').textContent !== 'Cancelled.') $('status').textContent = ''; return; }
    if (!append && m === 'generate') rememberGenerate(data);
    showResults(doc, append);
    $('status').textContent = `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
  } catch (err) {
    if (!(err instanceof TokenNeeded)) showError(`Request failed: ${err.message}`);
    $('status').textContent = '';
  } finally {
    currentJob = null;
    $('progress-box').hidden = true;
    button.disabled = false;
    $('more').disabled = false;
    form.removeAttribute('aria-busy');
  }
}

/**
 * "More samples": the request that made the gallery, with the next seed, appended to it. Its inputs
 * are the ones that run sent (a copy of its form data), whatever the form holds now.
 */
function rememberGenerate(sent) {
  const entries = [...sent.entries()];
  let seed = Number(sent.get('seed') || 0);
  lastGenerate = {
    next() {
      seed += 1;
      const data = new FormData();
      for (const [k, v] of entries) {
        if (k === 'sheet') continue;
        if (v instanceof File) data.append(k, v, v.name); else data.append(k, v);
      }
      data.set('seed', String(seed));
      return data;
    },
  };
}

function moreSamples() {
  if (lastGenerate) run(true);
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

function showResults(doc, append) {
  if (!append) {
    for (const u of objectUrls) URL.revokeObjectURL(u);
    objectUrls = [];
  }
  const items = $('items');
  if (!append) items.replaceChildren();
  const weights = doc.weights || [];
  // Appended samples continue the gallery's numbering (sample-04 after sample-03), so names stay unique.
  const offset = append ? items.children.length : 0;
  doc.items.forEach((item, i) => {
    const it = offset && /^sample-\d+$/.test(item.name)
      ? { ...item, name: `sample-${String(offset + i).padStart(2, '0')}` } : item;
    const fig = document.createElement('figure');
    const img = document.createElement('img');
    const gif = blobUrl(it.gif, 'image/gif');
    img.src = gif;
    const what = doc.operation === 'interpolate' ? `blend ${i + 1} of ${doc.items.length}, weight of motion A ${weights[i].toFixed(2)}`
      : doc.operation === 'generate' ? `sample ${offset + i + 1}, seed ${doc.seed}` : doc.operation;
    img.alt = `Result: ${what}, ${it.frames} frames`;
    const cap = document.createElement('figcaption');
    cap.append(`${it.name} \u00b7 ${it.frames} frames `, document.createElement('br'), 'Download: ',
      link(gif, `${it.name}.gif`, 'GIF'));
    if (it.mp4) cap.append(' ', link(blobUrl(it.mp4, 'video/mp4'), `${it.name}.mp4`, 'MP4'));
    fig.append(img, cap);
    fig.className = 'item';
    items.append(fig);
  });
  document.querySelector('[data-gallery]').hidden = doc.operation !== 'generate';
  const sheet = $('sheet-figure');
  if (append) {
    // The sheet stays the first request's.
  } else if (doc.sheet) {
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
