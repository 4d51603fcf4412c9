// Builds the DOM of one group. Shared by the served page (as a module) and the static --html page (inlined).
// Text goes in through textContent only: a file name is data, never markup.

export function bytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return (i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)) + ' ' + units[i];
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v; else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

const ROLE_WORDS = { keep: 'Stays', duplicate: 'Goes', reference: 'Reference (never touched)', link: 'Hard link (left alone)',
  import: 'Imported', skipped: 'Skipped' };
const KIND_WORDS = { exact: 'identical', similar: 'look-alike', names: 'copy name', organize: 'organize' };

/** The role a file has once the person's keeper choice is applied. */
export function roleOf(group, file) {
  if (!group.keeper || (file.role !== 'keep' && file.role !== 'duplicate')) return file.role;
  return file.id === group.keeper ? 'keep' : 'duplicate';
}

/** The files a person may choose as the one that stays, in the order the keys 1-9 take them. */
export function choosable(group) {
  return group.files.filter(f => f.role === 'keep' || f.role === 'duplicate');
}

export function renderGroup(group, position, options) {
  const changed = group.keeper && group.keeper !== group.toolKeeper;
  const why = group.kind === 'organize' ? group.reason
    : changed ? 'you chose the copy that stays (the tool would keep another: ' + group.reason + ')'
    : 'kept because: ' + group.reason;
  const badges = [];
  if (group.leftOut) badges.push(el('span', { class: 'badge left-out-badge' }, 'left out'));
  if (group.notDuplicates) badges.push(el('span', { class: 'badge not-dup-badge' }, 'not duplicates (remembered)'));
  const section = el('section', { class: 'group' + (group.leftOut ? ' left-out' : ''), 'data-index': group.index,
      id: 'group-' + group.index },
    el('h2', {}, '#' + (position + 1), el('span', { class: 'badge' }, KIND_WORDS[group.kind] || group.kind),
      el('span', { class: 'why' }, why), ...badges));
  const cards = el('div', { class: 'cards' });
  const keys = choosable(group).map(f => f.id);
  for (const f of group.files) cards.append(card(group, f, keys.indexOf(f.id), options));
  section.append(cards);
  if (options.interactive && group.kind !== 'organize') {
    section.append(el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'leave', 'data-index': group.index },
        group.leftOut ? 'Take back in (x)' : 'Leave out (x)'),
      group.kind === 'names' || group.notDuplicates ? null
        : el('button', { type: 'button', class: 'not-dup', 'data-index': group.index }, 'Not duplicates (n)')));
  } else if (options.interactive) {
    section.append(el('div', { class: 'actions' }, el('button', { type: 'button', class: 'leave',
      'data-index': group.index }, group.leftOut ? 'Take back in (x)' : 'Leave out (x)')));
  }
  return section;
}

function card(group, f, key, options) {
  const role = roleOf(group, f);
  const src = options.thumb(f);
  const pic = el('div', { class: 'pic', 'data-id': f.id },
    src ? el('img', { src, loading: 'lazy', alt: f.name, decoding: 'async' }) : el('span', {}, 'no picture'));
  const facts = el('dl', {});
  const add = (k, v) => { if (v !== undefined && v !== null && v !== '') facts.append(el('dt', {}, k), el('dd', {}, String(v))); };
  add('Pixels', f.width ? f.width + ' × ' + f.height + ' (' + (f.width * f.height / 1e6).toFixed(1) + ' MP)' : 'unknown');
  add('Size', bytes(f.bytes) + ' (' + f.bytes.toLocaleString() + ' bytes)');
  add('Format', f.format);
  add('Taken', f.date ? f.date + ' (from ' + f.dateSource + ')' : 'unknown');
  add('Camera', f.camera);
  if (f.distance !== undefined && group.kind === 'similar') add('Distance', f.distance + ' of 64 bits');
  add('Folder', f.folder);
  const figure = el('figure', { class: 'card ' + role, 'data-id': f.id },
    pic,
    el('figcaption', {},
      el('div', {}, key >= 0 ? el('kbd', {}, String(key + 1)) : null, ' ',
        el('span', { class: 'role' }, ROLE_WORDS[role] || role)),
      el('div', { class: 'name', title: f.path }, f.name), facts));
  if (options.interactive && key >= 0 && role !== 'keep') {
    figure.append(el('button', { type: 'button', class: 'keep-this', 'data-index': group.index, 'data-id': f.id },
      'Keep this one (' + (key + 1) + ')'));
  }
  return figure;
}
