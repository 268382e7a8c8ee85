// The agent console: sign in, follow the company's chats through the agent
// feed, accept, reply, send cards, buttons and files, end chats, read
// ratings and surveys, schedule and cancel calls. Every piece of end-user
// content is rendered with textContent; nothing here builds HTML from
// strings. Alt+N selects the next chat, Alt+A accepts, Alt+E ends.

const API = '/agent/v1';
const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem('agent.token') || '',
  agent: null,
  online: false,
  selected: 0,
  seq: 0,
  lists: null,
  polling: false,
};

function say(text) { $('status').textContent = text; }

class APIError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error && body.error.code;
  }
}

async function call(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (state.token && !init.headers.Authorization) init.headers.Authorization = `Bearer ${state.token}`;
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(API + path, init);
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new APIError(res.status, data);
    if (res.status === 401 && !path.startsWith('/session')) signedOut('Your session ended; sign in again.');
    throw err;
  }
  return data;
}

// openMedia downloads a chat file with the agent's session and hands it to
// the browser as a download (object URLs keep the token out of any URL).
async function openMedia(id, name) {
  const res = await fetch(`${API}/media/${id}`, { headers: { Authorization: `Bearer ${state.token}` } });
  if (!res.ok) throw new Error(`could not open the file (${res.status})`);
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: name || `file-${id}` });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// el builds an element with text content and attributes; children may be
// elements or strings (which become text nodes).
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

async function signIn(ev) {
  ev.preventDefault();
  const tenant = $('tenant').value.trim();
  const token = $('api-token').value;
  const agentID = Number($('agent-id').value);
  try {
    const s = await call('POST', '/session', { agent_id: agentID }, { Authorization: 'Basic ' + btoa(`${tenant}:${token}`) });
    state.token = s.token;
    sessionStorage.setItem('agent.token', s.token);
    $('api-token').value = '';
    await start();
  } catch (err) {
    say(`Sign-in failed: ${err.message}`);
  }
}

function signedOut(message) {
  state.token = '';
  state.agent = null;
  state.selected = 0;
  sessionStorage.removeItem('agent.token');
  $('desk').hidden = true;
  $('who').hidden = true;
  $('sign-in-view').hidden = false;
  say(message || '');
}

async function signOut() {
  try { await call('DELETE', '/session'); } catch { /* signed out anyway */ }
  signedOut('Signed out.');
}

async function start() {
  const me = await call('GET', '/me');
  state.agent = me.agent;
  setPresence(me.presence === 'online');
  $('agent-name').textContent = `${me.agent.name} (#${me.agent.id})`;
  $('sign-in-view').hidden = true;
  $('who').hidden = false;
  $('desk').hidden = false;
  say('');
  const f = await call('GET', '/events?after=0&timeout=0');
  state.seq = f.last_seq;
  await Promise.all([refreshLists(), refreshFeedback(), refreshCalls()]);
  if (!state.polling) pollFeed();
}

function setPresence(online) {
  state.online = online;
  const b = $('presence');
  b.setAttribute('aria-pressed', String(online));
  b.textContent = online ? 'Online — go offline' : 'Offline — go online';
}

async function togglePresence() {
  try {
    const me = await call('PUT', '/presence', { status: state.online ? 'offline' : 'online' });
    setPresence(me.presence === 'online');
  } catch (err) { say(err.message); }
}

// customerName is who the chat is with: the name, else the identifier.
function customerName(ac) { return ac.end_user_name || ac.chat.end_user.identifier; }

// initials are the avatar letters of a name.
function initials(name) {
  const w = String(name).replace(/[^\p{L}\p{N} ]+/gu, ' ').trim().split(/\s+/).filter(Boolean);
  return ((w[0] || '?')[0] + (w.length > 1 ? w[w.length - 1][0] : '')).toUpperCase();
}

// chatItem is one chat in a list: avatar, name, status and the last message,
// each cut to one line with the full text on hover.
function chatItem(ac) {
  const c = ac.chat;
  const name = customerName(ac);
  let status = c.status_text || c.status;
  if (ac.deflected) status += ' · deflected';
  if (ac.rating) status += ` · ★${ac.rating.rating}`;
  const last = ac.last_message ? (ac.last_message.content || (ac.last_message.card && ac.last_message.card.title) || ac.last_message.type) : '';
  const b = el('button', { type: 'button', class: `chat-item ${c.status}`, onclick: () => select(c.id), title: `#${c.id} ${name} — ${status}` },
    el('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(name) }),
    el('span', { class: 'lines' },
      el('span', { class: 'line1' }, el('span', { class: 'name ellipsis', text: name }), el('span', { class: 'id', text: `#${c.id}` })),
      el('span', { class: 'line2 ellipsis', text: last ? `${status} · ${last}` : status })));
  b.dataset.chat = String(c.id);
  if (c.id === state.selected) b.setAttribute('aria-current', 'true');
  return el('li', {}, b);
}

function renderList(id, items) {
  const ul = $(id);
  $(`${id}-count`).textContent = items.length ? String(items.length) : '';
  ul.replaceChildren();
  if (!items.length) {
    ul.append(el('li', { class: 'empty', text: 'None' }));
    return;
  }
  for (const ac of items) ul.append(chatItem(ac));
}

async function refreshLists() {
  const l = await call('GET', '/chats');
  state.lists = l;
  renderList('queued', l.queued);
  renderList('mine', l.mine);
  renderList('escalated', l.escalated);
  renderList('recent', l.recent);
}

// safeURL lets through only http(s) links, so content can't smuggle javascript: URLs.
function safeURL(u) {
  try {
    const url = new URL(u, location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
  } catch { return ''; }
}

function fmtTime(ts) {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

function fmtSize(n) {
  if (!(n > 0)) return '';
  return n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

// messageNode renders one message as the widget does: text as text, and
// cards, buttons, forms and files as components; notices as a centred line.
function messageNode(m) {
  const kind = m.type === 'noti' || m.$userType === 'system' ? 'system' : m.$userType;
  const li = el('li', { class: `msg ${kind}`, title: m.$timestamp || '' });
  if (kind === 'system') {
    li.append(el('span', { class: 'notice', text: m.content || m.event || m.type }));
    return li;
  }
  const names = { end_user: 'Customer', agent: m.user_name || 'Agent', virtual_agent: m.user_name || 'Bot' };
  const who = names[m.$userType] || m.$userType;
  li.append(el('div', { class: 'meta' }, el('span', { class: 'who', text: who }), el('time', { datetime: m.$timestamp || '', text: fmtTime(m.$timestamp) })));
  const bubble = el('div', { class: 'bubble' });
  if (m.content && !['photo', 'video', 'file'].includes(m.type)) bubble.append(el('p', { class: 'text', dir: 'auto', text: m.content }));
  if (m.card) {
    const card = el('div', { class: 'card' }, el('strong', { text: m.card.title || '' }));
    if (m.card.subtitle) card.append(el('span', { class: 'sub', text: m.card.subtitle }));
    if (m.card.body) card.append(el('p', { text: m.card.body }));
    const href = m.card.link && safeURL(m.card.link);
    if (href) card.append(el('a', { href, target: '_blank', rel: 'noopener noreferrer', text: m.card.link, class: 'ellipsis' }));
    bubble.append(card);
  }
  const buttons = [...(m.buttons || []), ...(m.quick_replies || []), ...((m.card && m.card.buttons) || [])];
  if (buttons.length) bubble.append(el('div', { class: 'chips', 'aria-label': 'Buttons offered' }, ...buttons.map((b) => el('span', { class: 'chip', text: b.title }))));
  if (m.form) bubble.append(el('div', { class: 'chips' }, el('span', { class: 'chip', text: `Form: ${m.form.title || m.form.name || ''}` })));
  if (m.file_info || m.media_id) {
    const f = m.file_info || {};
    const file = el('div', { class: 'file' }, el('span', { class: 'fname ellipsis', text: f.name || m.type, title: f.name || '' }), el('span', { class: 'fsize', text: fmtSize(f.size) }));
    if (m.media_id) {
      file.append(el('button', {
        type: 'button', class: 'open-file', text: 'Open', 'aria-label': `Open ${f.name || 'the file'}`,
        onclick: () => openMedia(m.media_id, f.name).catch((err) => say(err.message)),
      }));
    }
    bubble.append(file);
    if (m.content) bubble.append(el('p', { class: 'text', dir: 'auto', text: m.content }));
  }
  // A card or file without text is its own surface.
  if (!bubble.querySelector('.text') && (m.card || m.file_info || m.media_id)) bubble.classList.add('bare');
  li.append(bubble);
  return li;
}

// detail is one term and value of the customer pane, cut to one line with the full value on hover.
function detail(term, value) {
  return [el('dt', { text: term }), el('dd', { class: 'ellipsis', text: String(value), title: String(value) })];
}

function renderChatMeta(ac) {
  const c = ac.chat;
  const title = `Chat #${c.id} with ${customerName(ac)}`;
  $('chat-title').textContent = title;
  $('chat-title').title = title;
  const parts = [`Status: ${c.status}`];
  if (c.agent) parts.push(`Agent: ${c.agent.name}`);
  if (c.queue_position) parts.push(`Queue position: ${c.queue_position}`);
  if (ac.rating) parts.push(`Rating: ${ac.rating.rating}${ac.rating.feedback ? ` “${ac.rating.feedback}”` : ''}`);
  if (ac.survey) parts.push(`Survey: ${Object.entries(ac.survey).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
  $('chat-meta').textContent = parts.join(' · ');
  $('chat-meta').title = parts.join(' · ');
  const rows = [
    ...detail('Name', ac.end_user_name || '—'),
    ...detail('Identifier', c.end_user.identifier),
    ...detail('Chat', `#${c.id}`),
    ...detail('Status', c.status_text || c.status),
  ];
  if (c.lang) rows.push(...detail('Language', c.lang));
  if (c.menu_id) rows.push(...detail('Menu', `#${c.menu_id}`));
  if (c.agent) rows.push(...detail('Agent', c.agent.name));
  if (c.created_at) rows.push(...detail('Started', new Date(c.created_at).toLocaleString()));
  if (ac.rating) rows.push(...detail('Rating', `${'★'.repeat(ac.rating.rating)} ${ac.rating.rating}/5${ac.rating.feedback ? ` — ${ac.rating.feedback}` : ''}`));
  $('customer').replaceChildren(...rows);
  const mine = c.status === 'assigned' && c.agent && state.agent && c.agent.id === state.agent.id;
  $('accept').disabled = c.status !== 'queued';
  $('end').disabled = !(mine || c.status === 'queued');
}

async function select(id) {
  state.selected = id;
  showTyping(false);
  try {
    const tr = await call('GET', `/chats/${id}`);
    renderChatMeta(tr);
    const ol = $('transcript');
    ol.replaceChildren(...tr.messages.map(messageNode));
    ol.dataset.last = tr.messages.length ? tr.messages[tr.messages.length - 1].$index : 0;
    ol.scrollTop = ol.scrollHeight;
    if (state.lists) ['queued', 'mine', 'escalated', 'recent'].forEach((k) => renderList(k, state.lists[k]));
  } catch (err) { say(err.message); }
}

async function act(fn, done) {
  if (!state.selected) { say('Select a chat first.'); return; }
  try {
    await fn(state.selected);
    say(done || '');
    await Promise.all([refreshLists(), select(state.selected)]);
  } catch (err) { say(err.message); }
}

function sendForm(id, build) {
  $(id).addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(async (chat) => {
      await build(chat);
      ev.target.reset();
      const tool = ev.target.closest('details');
      if (tool) tool.open = false;
    });
  });
}

async function refreshFeedback() {
  const fb = await call('GET', '/feedback');
  const ul = $('feedback');
  ul.replaceChildren();
  if (!fb.length) ul.append(el('li', { class: 'empty', text: 'No feedback yet' }));
  for (const f of fb) {
    const text = f.kind === 'rating'
      ? `Chat #${f.chat_id}: rated ${f.rating.rating}/5${f.rating.feedback ? ` — ${f.rating.feedback}` : ''}`
      : `Chat #${f.chat_id}: survey ${Object.entries(f.answers || {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`;
    ul.append(el('li', { text, title: text, class: f.kind }));
  }
}

async function refreshCalls() {
  let calls;
  try { calls = await call('GET', '/calls'); } catch (err) { say(err.message); return; }
  const ul = $('calls');
  ul.replaceChildren();
  if (!calls.length) ul.append(el('li', { class: 'empty', text: 'No calls' }));
  for (const c of calls) {
    const text = `Call #${c.id} ${c.type} ${c.status} ${c.phone_number || ''} ${c.scheduled_at ? new Date(c.scheduled_at).toLocaleString() : ''}`;
    const li = el('li', { title: text }, el('span', { class: 'ellipsis', text }));
    if (!['finished', 'cancelled', 'failed'].includes(c.status)) {
      li.append(el('button', {
        type: 'button', text: 'Cancel', 'aria-label': `Cancel call ${c.id}`,
        onclick: async () => {
          try { await call('POST', `/calls/${c.id}/cancel`); await refreshCalls(); } catch (err) { say(err.message); }
        },
      }));
    }
    ul.append(li);
  }
}

let refreshTimer = 0;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshLists().catch((err) => say(err.message));
    refreshFeedback().catch(() => {});
    refreshCalls().catch(() => {});
  }, 150);
}

// showTyping shows or hides that the customer is typing.
function showTyping(on) {
  const t = $('typing');
  t.replaceChildren();
  if (on) t.append(el('span', { class: 'dots', 'aria-hidden': 'true' }, el('i'), el('i'), el('i')), 'The customer is typing…');
}

function onEvent(e) {
  const selected = e.chat_id === state.selected;
  switch (e.type) {
    case 'message':
      if (selected) {
        const ol = $('transcript');
        if (e.message.$index > Number(ol.dataset.last || 0)) {
          ol.append(messageNode(e.message));
          ol.dataset.last = e.message.$index;
          ol.scrollTop = ol.scrollHeight;
        }
        if (e.message.$userType === 'end_user') showTyping(false);
      }
      refreshSoon();
      break;
    case 'chat':
      if (selected) select(state.selected);
      refreshSoon();
      break;
    case 'typing.started':
      if (selected && e.identity && e.identity.type === 'end_user') showTyping(true);
      break;
    case 'typing.ended':
      if (selected && e.identity && e.identity.type === 'end_user') showTyping(false);
      break;
    default:
  }
}

async function pollFeed() {
  state.polling = true;
  let backoff = 500;
  while (state.token) {
    try {
      const f = await call('GET', `/events?after=${state.seq}&timeout=25`);
      backoff = 500;
      if (f.reset) {
        state.seq = f.last_seq;
        refreshSoon();
        if (state.selected) select(state.selected);
        continue;
      }
      for (const entry of f.events) {
        state.seq = entry.seq;
        onEvent(entry.event);
      }
    } catch (err) {
      if (!state.token) break;
      say(`Connection problem: ${err.message}; retrying`);
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 10000);
    }
  }
  state.polling = false;
}

let typingTimer = 0;
function typing() {
  if (!state.selected || typingTimer) return;
  const chat = state.selected;
  call('POST', `/chats/${chat}/typing`, { typing: true }).catch(() => {});
  typingTimer = setTimeout(() => {
    typingTimer = 0;
    call('POST', `/chats/${chat}/typing`, { typing: false }).catch(() => {});
  }, 3000);
}

// nextChat selects the chat after the selected one: the queue first, then mine.
function nextChat() {
  const ids = state.lists ? [...state.lists.queued, ...state.lists.mine].map((ac) => ac.chat.id) : [];
  if (!ids.length) { say('No chats waiting.'); return; }
  select(ids[(ids.indexOf(state.selected) + 1) % ids.length]);
}

// shortcuts: Alt+N next chat, Alt+A accept, Alt+E end (by key position, so any layout works).
function shortcut(ev) {
  if (!ev.altKey || ev.ctrlKey || ev.metaKey || $('desk').hidden) return;
  const run = { KeyN: nextChat, KeyA: () => $('accept').click(), KeyE: () => $('end').click() }[ev.code];
  if (!run) return;
  ev.preventDefault();
  run();
}

function init() {
  document.addEventListener('keydown', shortcut);
  $('sign-in').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('presence').addEventListener('click', togglePresence);
  $('accept').addEventListener('click', () => act((id) => call('POST', `/chats/${id}/accept`), 'Accepted.'));
  $('end').addEventListener('click', () => act((id) => call('POST', `/chats/${id}/end`), 'Chat ended.'));
  $('reply-text').addEventListener('input', typing);
  $('reply-text').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); $('reply').requestSubmit(); }
  });
  sendForm('reply', (id) => call('POST', `/chats/${id}/messages`, { type: 'text', content: $('reply-text').value }));
  sendForm('card', (id) => call('POST', `/chats/${id}/messages`, {
    type: 'content_card',
    card: { title: $('card-title').value, body: $('card-body').value, link: $('card-link').value || undefined },
  }));
  sendForm('buttons', (id) => call('POST', `/chats/${id}/messages`, {
    type: 'inline_button',
    content: $('buttons-text').value,
    buttons: $('buttons-list').value.split(',').map((s) => s.trim()).filter(Boolean).map((t) => ({ title: t, payload: t })),
  }));
  sendForm('file', (id) => {
    const fd = new FormData();
    fd.append('file', $('file-input').files[0]);
    fd.append('caption', $('file-caption').value);
    return call('POST', `/chats/${id}/files`, fd);
  });
  sendForm('call', async (id) => {
    const at = new Date($('call-at').value);
    await call('POST', `/chats/${id}/calls`, { phone_number: $('call-phone').value, scheduled_at: at.toISOString() });
    await refreshCalls();
  });
  if (state.token) start().catch(() => signedOut());
}

init();
