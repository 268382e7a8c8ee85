// The agent console: sign in, follow the company's chats through the agent
// feed, accept, reply, send cards, buttons and files, end chats, read
// ratings and surveys, schedule and cancel calls. Every piece of end-user
// content is rendered with textContent; nothing here builds HTML from
// strings.

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

function chatLabel(ac) {
  const c = ac.chat;
  let text = `#${c.id} ${ac.end_user_name || c.end_user.identifier} — ${c.status_text || c.status}`;
  if (ac.deflected) text += ' (deflected)';
  if (ac.rating) text += ` ★${ac.rating.rating}`;
  return text;
}

function renderList(id, items) {
  const ul = $(id);
  ul.replaceChildren();
  if (!items.length) {
    ul.append(el('li', { class: 'empty', text: 'None' }));
    return;
  }
  for (const ac of items) {
    const b = el('button', { type: 'button', text: chatLabel(ac), onclick: () => select(ac.chat.id) });
    if (ac.chat.id === state.selected) b.setAttribute('aria-current', 'true');
    ul.append(el('li', {}, b));
  }
}

async function refreshLists() {
  const l = await call('GET', '/chats');
  state.lists = l;
  renderList('queued', l.queued);
  renderList('mine', l.mine);
  renderList('escalated', l.escalated);
  renderList('recent', l.recent);
}

function messageNode(m) {
  const li = el('li', { class: m.$userType === 'system' ? 'system' : m.$userType });
  const names = { end_user: 'Customer', agent: m.user_name || 'Agent', virtual_agent: m.user_name || 'Bot', system: '' };
  const who = m.$userType in names ? names[m.$userType] : m.$userType;
  if (who) li.append(el('span', { class: 'who', text: `${who}:` }));
  switch (m.type) {
    case 'content_card': {
      const card = el('span', { class: 'card' }, el('strong', { text: m.card.title }));
      if (m.card.body) card.append(' ', m.card.body);
      if (m.card.link) card.append(' ', m.card.link);
      li.append(card);
      break;
    }
    case 'inline_button':
      li.append(m.content || '', ' [', (m.buttons || []).map((b) => b.title).join(' | '), ']');
      break;
    case 'form':
      li.append(`Form: ${m.form ? m.form.title : ''}`);
      break;
    case 'photo': case 'video': case 'file': {
      const f = m.file_info || {};
      li.append(`${m.type}: ${f.name || ''} (${f.size || 0} bytes)`);
      if (m.content) li.append(` — ${m.content}`);
      if (m.media_id) {
        li.append(' ', el('button', {
          type: 'button', class: 'open-file', text: 'Open', 'aria-label': `Open ${f.name || 'the file'}`,
          onclick: () => openMedia(m.media_id, f.name).catch((err) => say(err.message)),
        }));
      }
      break;
    }
    default:
      li.append(m.content || '');
  }
  li.title = m.$timestamp;
  return li;
}

function renderChatMeta(ac) {
  const c = ac.chat;
  $('chat-title').textContent = `Chat #${c.id} with ${ac.end_user_name || c.end_user.identifier}`;
  const parts = [`Status: ${c.status}`];
  if (c.agent) parts.push(`Agent: ${c.agent.name}`);
  if (c.queue_position) parts.push(`Queue position: ${c.queue_position}`);
  if (ac.rating) parts.push(`Rating: ${ac.rating.rating}${ac.rating.feedback ? ` “${ac.rating.feedback}”` : ''}`);
  if (ac.survey) parts.push(`Survey: ${Object.entries(ac.survey).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
  $('chat-meta').textContent = parts.join(' · ');
  const mine = c.status === 'assigned' && c.agent && state.agent && c.agent.id === state.agent.id;
  $('accept').disabled = c.status !== 'queued';
  $('end').disabled = !(mine || c.status === 'queued');
}

async function select(id) {
  state.selected = id;
  $('typing').textContent = '';
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
    ul.append(el('li', { text }));
  }
}

async function refreshCalls() {
  let calls;
  try { calls = await call('GET', '/calls'); } catch (err) { say(err.message); return; }
  const ul = $('calls');
  ul.replaceChildren();
  if (!calls.length) ul.append(el('li', { class: 'empty', text: 'No calls' }));
  for (const c of calls) {
    const li = el('li', { text: `Call #${c.id} ${c.type} ${c.status} ${c.phone_number || ''} ${c.scheduled_at || ''} ` });
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
        if (e.message.$userType === 'end_user') $('typing').textContent = '';
      }
      refreshSoon();
      break;
    case 'chat':
      if (selected) select(state.selected);
      refreshSoon();
      break;
    case 'typing.started':
      if (selected && e.identity && e.identity.type === 'end_user') $('typing').textContent = 'The customer is typing…';
      break;
    case 'typing.ended':
      if (selected && e.identity && e.identity.type === 'end_user') $('typing').textContent = '';
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

function init() {
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
