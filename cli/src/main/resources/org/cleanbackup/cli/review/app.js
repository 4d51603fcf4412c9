// The served review page. Every request carries the token: in a header for the API, in the URL for pictures.
// Nothing here changes the disk except Apply and Undo, which the server carries out through the journal.

const token = document.querySelector('meta[name="review-token"]').content;
const { renderGroup, choosable, bytes } = await import('/render.js?t=' + encodeURIComponent(token));

const PAGE = 20;
const state = { groups: [], total: 0, loading: false, focus: 0, mode: '', viewer: null };
const $ = id => document.getElementById(id);

async function get(path, params) {
  const q = new URLSearchParams(params || {});
  const r = await fetch(path + (q.toString() ? '?' + q : ''), { headers: { 'X-Review-Token': token } });
  if (!r.ok) throw new Error(path + ': ' + r.status);
  return r.json();
}

async function post(path, params) {
  const r = await fetch(path, { method: 'POST', headers: { 'X-Review-Token': token },
    body: new URLSearchParams(params || {}) });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || (path + ': ' + r.status));
  return body;
}

const thumb = f => '/thumb/' + encodeURIComponent(f.id) + '?t=' + encodeURIComponent(token);
const full = f => '/file/' + encodeURIComponent(f.id) + '?t=' + encodeURIComponent(token);

function filters() {
  const p = {};
  if ($('folder').value.trim()) p.folder = $('folder').value.trim();
  if ($('kind').value) p.kind = $('kind').value;
  if ($('distance').value !== '') p.maxDistance = $('distance').value;
  return p;
}

async function loadMore() {
  if (state.loading || (state.groups.length >= state.total && state.groups.length > 0)) return;
  state.loading = true;
  try {
    const page = await get('/api/groups', { ...filters(), offset: state.groups.length, limit: PAGE });
    state.total = page.total;
    const main = $('groups');
    for (const g of page.groups) {
      main.append(renderGroup(g, state.groups.length, { interactive: true, thumb }));
      state.groups.push(g);
    }
    $('more').textContent = state.groups.length < state.total
      ? state.groups.length + ' of ' + state.total + ' shown; more load as you scroll'
      : state.total === 0 ? 'Nothing to review.' : 'All ' + state.total + ' shown.';
    if (state.groups.length > 0) focus(Math.min(state.focus, state.groups.length - 1), false);
  } finally {
    state.loading = false;
  }
  if (state.groups.length < state.total && nearBottom()) loadMore();
}

function nearBottom() {
  return $('more').getBoundingClientRect().top < window.innerHeight + 400;
}

async function reload() {
  state.groups = [];
  state.total = 0;
  state.focus = 0;
  $('groups').replaceChildren();
  await loadMore();
}

/** Fetches one group again (after a decision) and redraws it in place. */
async function refresh(index) {
  const pos = state.groups.findIndex(g => g.index === index);
  if (pos < 0) return;
  const page = await get('/api/groups', { ...filters(), offset: pos, limit: 1 });
  const g = page.groups.find(x => x.index === index);
  if (!g) return;
  state.groups[pos] = g;
  const old = document.getElementById('group-' + index);
  const fresh = renderGroup(g, pos, { interactive: true, thumb });
  old.replaceWith(fresh);
  if (pos === state.focus) fresh.classList.add('focused');
}

function focus(pos, scroll = true) {
  if (pos < 0 || pos >= state.groups.length) return;
  document.querySelectorAll('.group.focused').forEach(e => e.classList.remove('focused'));
  state.focus = pos;
  const e = document.getElementById('group-' + state.groups[pos].index);
  e.classList.add('focused');
  if (scroll) e.scrollIntoView({ block: 'nearest' });
  if (pos >= state.groups.length - 3) loadMore();
}

function say(text, stage) {
  $('status-text').textContent = text;
  if (stage) $('status').dataset.stage = stage;
}

async function decide(fn) {
  try { await fn(); } catch (e) { say(e.message, 'failed'); }
}

const choose = (index, id) => decide(async () => { await post('/api/choose', { group: index, file: id }); await refresh(index); });
const leave = index => decide(async () => {
  const g = state.groups.find(x => x.index === index);
  await post('/api/leave', { group: index, out: String(!g.leftOut) });
  await refresh(index);
});
const notDuplicates = index => decide(async () => {
  say('Remembering that these files are not duplicates…');
  await post('/api/not-duplicates', { group: index });
  await refresh(index);
  say('Remembered: a later scan will not offer these files together again. Nothing else changed.');
});

document.addEventListener('click', e => {
  const b = e.target.closest('button');
  if (b && b.classList.contains('keep-this')) choose(Number(b.dataset.index), b.dataset.id);
  else if (b && b.classList.contains('leave')) leave(Number(b.dataset.index));
  else if (b && b.classList.contains('not-dup')) notDuplicates(Number(b.dataset.index));
  const pic = e.target.closest('.pic');
  if (pic) {
    const section = pic.closest('.group');
    const pos = state.groups.findIndex(g => String(g.index) === section.dataset.index);
    focus(pos, false);
    openViewer(pic.dataset.id);
  }
});

// ------------------------------------------------------------------ the larger view: zoom, flip between two copies

function openViewer(id) {
  const g = state.groups[state.focus];
  if (!g) return;
  const files = g.files;
  const keeper = g.keeper || files[0].id;
  const other = id && id !== keeper ? id : (files.find(f => f.id !== keeper) || files[0]).id;
  state.viewer = { group: g, a: keeper, b: other, showing: id || keeper, zoom: 1 };
  $('viewer').showModal();
  showViewer();
}

function showViewer() {
  const v = state.viewer;
  const f = v.group.files.find(x => x.id === v.showing);
  $('viewer-image').src = full(f);
  $('viewer-image').style.transform = 'scale(' + v.zoom + ')';
  $('viewer-title').textContent = (f.id === (v.group.keeper || '') ? 'Stays: ' : '') + f.path + ' · '
    + (f.width ? f.width + '×' + f.height + ' · ' : '') + bytes(f.bytes) + '  (f flips to the other copy)';
}

function flip() {
  const v = state.viewer;
  v.showing = v.showing === v.a ? v.b : v.a;
  showViewer();
}

function otherCopy(step) {
  const v = state.viewer;
  const ids = v.group.files.map(f => f.id).filter(x => x !== v.a);
  if (ids.length === 0) return;
  v.b = ids[(ids.indexOf(v.b) + step + ids.length) % ids.length];
  v.showing = v.b;
  showViewer();
}

function zoom(factor) {
  state.viewer.zoom = Math.min(16, Math.max(0.125, state.viewer.zoom * factor));
  showViewer();
}

$('flip').addEventListener('click', flip);
$('zoom-in').addEventListener('click', () => zoom(1.5));
$('zoom-out').addEventListener('click', () => zoom(1 / 1.5));
$('viewer-close').addEventListener('click', () => $('viewer').close());
$('viewer-image').addEventListener('click', () => zoom(state.viewer.zoom === 1 ? 2 : 0.5));
$('help-button').addEventListener('click', () => $('help').showModal());
$('help-close').addEventListener('click', () => $('help').close());

document.addEventListener('keydown', e => {
  if (e.target.matches('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
  if ($('viewer').open) {
    if (e.key === 'f' || e.key === ' ') { e.preventDefault(); flip(); }
    else if (e.key === '+' || e.key === '=') zoom(1.5);
    else if (e.key === '-') zoom(1 / 1.5);
    else if (e.key === 'ArrowRight') otherCopy(1);
    else if (e.key === 'ArrowLeft') otherCopy(-1);
    return;
  }
  if ($('help').open) return;
  const g = state.groups[state.focus];
  if (e.key === 'j' || e.key === 'ArrowDown') { e.preventDefault(); focus(state.focus + 1); }
  else if (e.key === 'k' || e.key === 'ArrowUp') { e.preventDefault(); focus(state.focus - 1); }
  else if (e.key === '?') $('help').showModal();
  else if (!g) return;
  else if (e.key >= '1' && e.key <= '9') {
    const f = choosable(g)[Number(e.key) - 1];
    if (f) choose(g.index, f.id);
  } else if (e.key === 'x') leave(g.index);
  else if (e.key === 'n' && g.kind !== 'names' && g.kind !== 'organize' && !g.notDuplicates) notDuplicates(g.index);
  else if (e.key === 'Enter') openViewer(null);
});

// ------------------------------------------------------------------ filters, Apply, Undo, Finish

let filterTimer;
$('filters').addEventListener('input', () => { clearTimeout(filterTimer); filterTimer = setTimeout(reload, 250); });
$('filters').addEventListener('submit', e => e.preventDefault());
$('act').addEventListener('submit', e => e.preventDefault());
$('action').addEventListener('change', () => {
  $('to-label').hidden = !['move', 'copy'].includes($('action').value);
});

async function poll() {
  for (;;) {
    const s = await get('/api/status');
    const bar = $('progress');
    bar.hidden = !(s.stage === 'applying' || s.stage === 'undoing');
    if (s.total > 0) { bar.max = s.total; bar.value = s.done; } else { bar.removeAttribute('value'); }
    say((s.phase ? s.phase + ': ' : '') + s.message, s.stage);
    if (s.stage !== 'applying' && s.stage !== 'undoing') return s;
    await new Promise(r => setTimeout(r, 250));
  }
}

$('apply').addEventListener('click', () => decide(async () => {
  $('apply').disabled = true;
  try {
    await post('/api/apply', { action: $('action').value, to: $('to').value });
  } catch (e) {
    $('apply').disabled = false;
    throw e;
  }
  const s = await poll();
  if (s.stage === 'applied') {
    $('undo').disabled = false;
    say('Applied: ' + s.message + '. Undo reverses it.', 'applied');
  }
}));

$('undo').addEventListener('click', () => decide(async () => {
  $('undo').disabled = true;
  await post('/api/undo');
  const s = await poll();
  if (s.stage === 'undone') say('Undone: ' + s.message + '.', 'undone');
}));

$('finish').addEventListener('click', () => decide(async () => {
  await post('/api/finish');
  say('The review is over; you can close this page.', 'finished');
  document.querySelectorAll('button').forEach(b => { b.disabled = true; });
}));

new IntersectionObserver(entries => { if (entries.some(e => e.isIntersecting)) loadMore(); })
  .observe($('more'));

const summary = await get('/api/summary');
state.mode = summary.mode;
$('summary').textContent = summary.groups + (summary.mode === 'organize' ? ' file(s) to organize' : ' group(s), '
  + summary.mode + ' mode') + (summary.dryRun ? ' · dry run: Apply is off' : '');
for (const o of $('action').options) {
  o.hidden = summary.mode === 'organize' ? o.value !== 'organize'
    : o.value === 'organize' || (summary.mode === 'similar' && o.value === 'hardlink');
}
$('action').value = summary.action;
$('to').value = summary.to;
$('to-label').hidden = !['move', 'copy'].includes($('action').value);
$('apply').disabled = summary.dryRun;
await reload();
