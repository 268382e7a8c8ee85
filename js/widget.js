// Drop-in chat widget built only on the public headless client.
//
//   <script type="module" src="https://…/sdk/widget.js"
//           data-company-id="demo" data-tenant="demo" data-host="https://platform"
//           data-token-url="/my/token" data-menu-key="direct_menu_key"></script>
//
// or programmatically:
//
//   import { Widget } from '…/sdk/widget.js'
//   const w = new Widget({ companyId, tenant, host, authenticate })
//   w.mount('#chat'); w.start({ menuKey })
//
// The UI lives in a shadow root, uses no inline script or style (it works
// under script-src 'self' 'wasm-unsafe-eval' and style-src 'self'), and
// renders every piece of user or agent content as text, never as HTML.

import { Client } from './loader.js'

const STYLE = new URL('./widget.css', import.meta.url).href
const MAX_FILE_BYTES = 10 * 1024 * 1024

/** Widget is the chat UI; one per page is the common case. */
export class Widget {
  /**
   * @param {object} options ClientOption of the headless SDK, plus
   *   tokenUrl (POSTed to obtain {token} when no authenticate is given),
   *   menuKey (direct-access menu key), lang, title, client (an existing Client).
   */
  constructor (options = {}) {
    this.options = { lang: 'en', title: 'Chat with us', ...options }
    this.listeners = new Map()
    this.cleanups = []
    this.waitTimer = 0 // the deflection threshold's timer while queued
    this.waitOffered = 0 // the escalation whose wait already got the offer
    this.cleanups.push(() => this.clearWait())
    this.client = options.client || new Client(this.clientOptions())
    this.ownsClient = !options.client
    this.root = null
    this.state = { view: 'closed', chat: null, messages: new Map(), company: null, menus: null }
  }

  clientOptions () {
    const o = this.options
    const authenticate = o.authenticate || (async () => {
      const res = await fetch(o.tokenUrl, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: '{}' })
      if (!res.ok) throw new Error(`token endpoint answered ${res.status}`)
      return res.json()
    })
    return { companyId: o.companyId, tenant: o.tenant, host: o.host, bridge: o.bridge, lang: o.lang, sdkBase: o.sdkBase, authenticate }
  }

  /** config merges options before start (documented web-widget style). */
  config (options) { Object.assign(this.options, options); return this }

  on (event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set())
    this.listeners.get(event).add(fn)
    return () => this.off(event, fn)
  }

  off (event, fn) { this.listeners.get(event)?.delete(fn) }

  emit (event, data) {
    for (const fn of this.listeners.get(event) || []) {
      try { fn(data) } catch (err) { console.error('widget listener', err) }
    }
  }

  /** mount renders the launcher and panel into the element matched by selector (default: body). */
  mount (selector) {
    if (this.root) return this
    const host = typeof selector === 'string' ? document.querySelector(selector) : (selector || document.body)
    if (!host) throw new Error(`widget: no element matches ${selector}`)
    this.hostEl = document.createElement('div')
    this.hostEl.className = 'ccaip-widget-host'
    host.appendChild(this.hostEl)
    this.root = this.hostEl.attachShadow({ mode: 'open' })
    const link = el('link', { rel: 'stylesheet', href: STYLE })
    this.launcher = el('button', { class: 'launcher', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' }, this.options.title)
    this.panel = el('section', { class: 'panel', role: 'dialog', 'aria-label': this.options.title, hidden: '' })
    this.header = el('header', {}, el('h2', { id: 'ccaip-title' }, this.options.title),
      el('span', { class: 'conn', role: 'status', 'aria-live': 'polite' }),
      el('button', { class: 'close', type: 'button', 'aria-label': 'Close chat' }, '×'))
    this.body = el('div', { class: 'body' })
    this.panel.append(this.header, this.body)
    this.root.append(link, this.launcher, this.panel)
    this.listen(this.launcher, 'click', () => this.panel.hidden ? this.show() : this.hide())
    this.listen(this.header.querySelector('.close'), 'click', () => this.hide())
    this.listen(this.panel, 'keydown', (e) => { if (e.key === 'Escape') this.hide() })
    this.bindClient()
    return this
  }

  listen (target, type, fn) {
    target.addEventListener(type, fn)
    this.cleanups.push(() => target.removeEventListener(type, fn))
  }

  bindClient () {
    const c = this.client
    const on = (ev, fn) => { const off = c.on(ev, fn); this.cleanups.push(typeof off === 'function' ? off : () => c.off(ev, fn)) }
    on('chat.message', (m) => this.addMessage(m))
    on('chat.updated', (chat) => { this.state.chat = chat; this.renderChatStatus() })
    on('chat.connected', () => this.setConn('Connected'))
    on('chat.disconnected', () => this.setConn('Reconnecting…'))
    on('chat.typingStarted', (who) => this.setTyping(who, true))
    on('chat.typingEnded', (who) => this.setTyping(who, false))
    on('chat.ended', () => this.showEnd('The chat has ended.'))
    on('chat.timeout', () => this.showEnd('The chat timed out.'))
    on('chat.dismissed', () => this.showDismissed())
  }

  show () {
    if (!this.root) this.mount()
    this.panel.hidden = false
    this.launcher.setAttribute('aria-expanded', 'true')
    if (this.state.view === 'closed') this.start(this.startOptions || {})
    this.panel.querySelector('textarea, button:not(.close), a')?.focus()
    this.emit('show')
    return this
  }

  hide () {
    if (!this.panel) return this
    this.panel.hidden = true
    this.launcher.setAttribute('aria-expanded', 'false')
    this.launcher.focus()
    this.emit('hide')
    return this
  }

  /** start restores an ongoing chat, or shows the menus (optionally a direct-access key). */
  async start (opts = {}) {
    this.startOptions = opts
    if (!this.root) this.mount()
    this.state.view = 'loading'
    this.renderStatus('Loading…')
    try {
      const chat = await this.client.loadOngoingChat()
      if (chat) {
        this.state.chat = chat
        this.renderChat()
        for (const m of await this.client.fetchMessages()) this.addMessage(m)
        this.emit('restored', chat)
        return
      }
      // getAfterHourMessage() returns the configured text whether or not the
      // company is closed, so it is no signal here; when a chat is deflected
      // after hours, the platform's notice carries that text (notiText).
      const lang = this.options.lang
      const [company, menus] = await Promise.all([
        this.client.getCompany(),
        this.client.getMenus(opts.menuKey || this.options.menuKey, lang)
      ])
      this.state.company = company
      this.state.menus = menus
      this.renderMenus(menus)
    } catch (err) {
      this.renderError(err)
    }
  }

  renderStatus (text) {
    this.body.replaceChildren(el('p', { class: 'status', role: 'status' }, text))
  }

  renderError (err) {
    const retry = el('button', { type: 'button' }, 'Try again')
    retry.addEventListener('click', () => this.start(this.startOptions))
    this.body.replaceChildren(el('div', { class: 'error', role: 'alert' }, el('p', {}, `Something went wrong: ${err?.message || err}`), retry))
    this.emit('error', err)
  }

  renderMenus (menus) {
    this.state.view = 'menus'
    const list = el('ul', { class: 'menus', role: 'list' })
    const addItems = (items, depth) => {
      for (const item of items || []) {
        if (!item.enabled) continue
        const li = el('li', { class: `depth-${Math.min(depth, 3)}` })
        if (item.children?.length) {
          li.append(el('span', { class: 'group' }, item.name || `Menu ${item.id}`))
          list.append(li)
          addItems(item.children, depth + 1)
          continue
        }
        const btn = el('button', { type: 'button', class: 'menu' }, item.name || `Menu ${item.id}`)
        const wait = el('span', { class: 'wait' })
        li.append(btn, wait)
        list.append(li)
        this.listen(btn, 'click', () => this.pickMenu(item))
        if (item.channels?.includes('chat')) {
          this.client.getWaitTimes(item.id, this.options.lang).then((w) => {
            wait.textContent = w.chat > 0 ? `~${Math.ceil(w.chat / 60)} min wait` : 'no wait'
          }).catch(() => {})
        }
      }
    }
    addItems(menus.menus, 0)
    this.body.replaceChildren(el('h3', {}, 'How can we help?'), list)
  }

  async pickMenu (item) {
    if (item.redirection?.data) {
      this.body.replaceChildren(el('p', {}, 'This topic is handled elsewhere: '),
        el('a', { href: safeURL(item.redirection.data), target: '_blank', rel: 'noopener noreferrer' }, item.redirection.data))
      return
    }
    if (!item.channels?.includes('chat')) {
      this.body.replaceChildren(el('p', {}, 'Chat is not available for this topic. Channels: ' + (item.channels || []).join(', ')))
      return
    }
    this.renderStatus('Starting chat…')
    try {
      const chat = await this.client.createChat(item.id, { lang: this.options.lang })
      this.state.chat = chat
      this.renderChat()
      this.emit('chat', chat)
    } catch (err) {
      this.renderError(err)
    }
  }

  renderChat () {
    this.state.view = 'chat'
    this.state.messages.clear()
    // role=log sits on a wrapper so the list keeps its list semantics; the
    // list scrolls, so it takes focus for keyboard scrolling.
    this.log = el('ol', { class: 'log', 'aria-label': 'Messages', tabindex: '0' })
    const logRegion = el('div', { class: 'log-region', role: 'log', 'aria-live': 'polite' }, this.log)
    this.typing = el('p', { class: 'typing', 'aria-live': 'polite' })
    this.statusLine = el('p', { class: 'chat-status', role: 'status' })
    const input = el('textarea', { rows: '2', 'aria-label': 'Message', placeholder: 'Type a message', maxlength: '8000' })
    const send = el('button', { type: 'submit' }, 'Send')
    const file = el('input', { type: 'file', 'aria-label': 'Attach a file', class: 'file' })
    const actions = el('div', { class: 'actions' },
      btn('Talk to a person', () => this.client.escalateChat().catch((e) => this.toast(e))),
      btn('End chat', () => this.finish()))
    const form = el('form', { class: 'composer' }, input, file, send)
    this.listen(form, 'submit', (e) => {
      e.preventDefault()
      const text = input.value.trim()
      if (!text) return
      input.value = ''
      this.client.sendTextMessage(text).catch((err) => this.toast(err))
    })
    this.listen(input, 'keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit() }
    })
    let previewTimer = 0
    this.listen(input, 'input', () => {
      clearTimeout(previewTimer)
      previewTimer = setTimeout(() => this.client.sendPreviewMessage(input.value).catch(() => {}), 300)
    })
    this.cleanups.push(() => clearTimeout(previewTimer))
    this.listen(file, 'change', () => this.sendFile(file))
    this.body.replaceChildren(this.statusLine, logRegion, this.typing, form, actions)
    this.renderChatStatus()
    input.focus()
  }

  async sendFile (input) {
    const f = input.files?.[0]
    input.value = ''
    if (!f) return
    if (f.size > MAX_FILE_BYTES) return this.toast(new Error(`${f.name} is larger than 10 MB`))
    try {
      const prohibited = await this.client.getProhibitedFileTypes()
      const ext = (f.name.split('.').pop() || '').toLowerCase()
      if (prohibited.some((t) => t.extension.replace(/^\./, '').toLowerCase() === ext)) {
        return this.toast(new Error(`.${ext} files are not allowed`))
      }
    } catch {}
    const id = await this.client.sendFileMessage(f)
    if (id === -1) this.toast(new Error(`could not send ${f.name}`))
  }

  renderChatStatus () {
    const chat = this.state.chat
    if (!chat || !this.statusLine) return
    const who = chat.agent?.name || chat.virtual_agent?.name
    const text = {
      va_assigned: `You are chatting with ${who || 'our assistant'}.`,
      queued: chat.queue_position ? `Waiting for an agent (position ${chat.queue_position}).` : 'Waiting for an agent…',
      assigned: `You are chatting with ${who || 'an agent'}.`
    }[chat.status] || chat.status_text || chat.status
    this.statusLine.textContent = text
    this.watchWait()
  }

  /**
   * watchWait offers the other ways to get help once an escalated chat has
   * waited in the queue for the company's deflection threshold
   * (getChatDeflection().threshold seconds, counted from when this page
   * saw it queued), once per escalation. An agent taking the chat cancels
   * the timer and withdraws the offer.
   */
  async watchWait () {
    const chat = this.state.chat
    if (!chat || chat.status !== 'queued' || !chat.escalation_id) {
      this.clearWait()
      // An agent took the chat: the offer is moot.
      if (chat?.status === 'assigned') { this.deflectionBox?.remove(); this.deflectionBox = null }
      return
    }
    const eid = chat.escalation_id
    if (this.waitTimer || this.waitOffered === eid) return
    this.waitTimer = -1 // asking
    let d = null
    try { d = await this.client.getChatDeflection() } catch {}
    if (this.waitTimer !== -1) return // cleared meanwhile
    this.waitTimer = 0
    if (!d?.enabled || !(d.threshold > 0) || this.state.chat?.escalation_id !== eid) return
    this.waitTimer = setTimeout(() => {
      this.waitTimer = 0
      const now = this.state.chat
      if (now?.status !== 'queued' || now.escalation_id !== eid || this.deflectionBox?.isConnected) return
      this.waitOffered = eid
      this.offerDeflection('Thanks for waiting. No agent is free yet. What would you like to do?')
    }, d.threshold * 1000)
  }

  clearWait () {
    if (this.waitTimer > 0) clearTimeout(this.waitTimer)
    this.waitTimer = 0
  }

  addMessage (m) {
    if (!this.log || this.state.messages.has(m.$index)) return
    this.state.messages.set(m.$index, m)
    const li = el('li', { class: `msg ${m.$userType}` })
    li.dataset.index = String(m.$index)
    if (m.type === 'noti') {
      li.classList.add('noti')
      li.textContent = notiText(m)
    } else {
      if (m.$userType !== 'end_user') li.append(el('span', { class: 'author' }, m.user_name || (m.$userType === 'virtual_agent' ? 'Assistant' : 'Agent')))
      if (m.content) li.append(el('p', { class: 'text' }, m.content))
      if (m.card) li.append(this.renderCard(m.card))
      if (m.buttons?.length || m.quick_replies?.length) li.append(this.renderButtons([...(m.buttons || []), ...(m.quick_replies || [])]))
      if (m.form) li.append(this.renderForm(m))
      if (m.file_info || m.media_id) li.append(this.renderAttachment(m))
    }
    // Keep $index order even if a late message arrives.
    const next = [...this.log.children].find((c) => Number(c.dataset.index) > m.$index)
    this.log.insertBefore(li, next || null)
    li.scrollIntoView?.({ block: 'nearest' })
    this.emit('message', m)
    if (m.type === 'noti' && m.event === 'escalationDeflected') this.offerDeflection()
  }

  /** offerDeflection shows the other ways to get help when no agent can take the chat. */
  async offerDeflection (question = 'No agent can take the chat right now. What would you like to do?') {
    if (!this.state.chat || !this.log) return
    // The notice and the chat update may arrive in either order: ask.
    let chat
    try { chat = this.state.chat = await this.client.loadChat(this.state.chat.id) } catch { return }
    const eid = chat.escalation_id
    if (!eid || chat.status !== 'queued') return
    let d = null
    try { d = await this.client.getChatDeflection() } catch {}
    this.deflectionBox?.remove()
    const box = el('div', { class: 'deflection', role: 'group', 'aria-label': 'Other ways to get help' },
      el('p', {}, question))
    const pick = async (channel) => {
      try {
        await this.client.trackChatEscalation(eid, channel)
        this.state.deflection = channel
        box.remove()
        this.emit('deflection', channel)
      } catch (err) { this.toast(err) }
    }
    if (!d || d.keep_waiting) box.append(btn('Keep waiting', () => pick('keep_waiting')))
    if (chat.virtual_agent || chat.all_virtual_agents?.length) box.append(btn('Back to the assistant', () => pick('virtual_agent')))
    if (d?.email) box.append(btn('Email us instead', () => box.replaceChildren(this.renderEmailForm(chat, () => pick('email')))))
    if (d?.external_deflection_links?.enabled) {
      for (const link of await this.deflectionLinks(d.external_deflection_links.ids)) {
        const a = el('a', { href: safeURL(link.data), target: '_blank', rel: 'noopener noreferrer', class: 'button' }, link.name || link.data)
        a.addEventListener('click', () => pick('external_link'))
        box.append(a)
      }
    }
    this.deflectionBox = box
    this.log.parentElement.after(box)
    box.querySelector('button, a')?.focus()
  }

  /** deflectionLinks resolves external deflection menu ids to their redirections. */
  async deflectionLinks (ids) {
    if (!this.state.menus) {
      try { this.state.menus = await this.client.getMenus(undefined, this.options.lang) } catch { return [] }
    }
    const out = []
    const walk = (items) => {
      for (const m of items || []) {
        if (ids.includes(m.id) && m.redirection?.data) out.push({ name: m.name, data: m.redirection.data })
        walk(m.children)
      }
    }
    walk(this.state.menus.menus)
    return out
  }

  /** renderEmailForm lets the visitor continue by email; onSent picks the email channel. */
  renderEmailForm (chat, onSent) {
    const name = el('input', { type: 'text', autocomplete: 'name', id: 'defl-name' })
    const email = el('input', { type: 'email', autocomplete: 'email', required: '', id: 'defl-email' })
    const content = el('textarea', { rows: '3', required: '', id: 'defl-content' })
    const form = el('form', { class: 'email-form' },
      el('label', { for: 'defl-name' }, 'Name (optional)'), name,
      el('label', { for: 'defl-email' }, 'Email'), email,
      el('label', { for: 'defl-content' }, 'Your question'), content,
      el('button', { type: 'submit' }, 'Send email'))
    form.addEventListener('submit', async (e) => {
      e.preventDefault()
      try {
        await this.client.createEmail(chat.menu_id, { name: name.value || undefined, email: email.value, content: content.value, lang: this.options.lang })
        this.state.emailSent = true
        await onSent()
      } catch (err) { this.toast(err) }
    })
    return form
  }

  renderCard (card) {
    const box = el('div', { class: 'card' })
    if (card.image_url) box.append(el('img', { src: safeURL(card.image_url), alt: card.title || '' }))
    box.append(el('strong', {}, card.title || ''))
    if (card.subtitle) box.append(el('span', { class: 'subtitle' }, card.subtitle))
    if (card.body) box.append(el('p', {}, card.body))
    if (card.link) box.append(el('a', { href: safeURL(card.link), target: '_blank', rel: 'noopener noreferrer' }, 'Open'))
    if (card.buttons?.length) box.append(this.renderButtons(card.buttons))
    return box
  }

  renderButtons (buttons) {
    const row = el('div', { class: 'buttons', role: 'group' })
    for (const b of buttons) {
      if (b.url) {
        row.append(el('a', { href: safeURL(b.url), target: '_blank', rel: 'noopener noreferrer', class: 'button' }, b.title))
      } else {
        row.append(btn(b.title, () => this.client.sendTextMessage(b.payload || b.title).catch((e) => this.toast(e))))
      }
    }
    return row
  }

  renderForm (m) {
    const f = m.form
    const input = el('input', { type: 'text', 'aria-label': f.title || f.name || 'Answer', required: '' })
    const form = el('form', { class: 'agent-form' }, el('strong', {}, f.title || f.name || 'Form'),
      f.subtitle ? el('span', { class: 'subtitle' }, f.subtitle) : '', input, el('button', { type: 'submit' }, 'Submit'))
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      this.client.sendTextMessage(input.value).then(() => { form.replaceChildren(el('em', {}, 'Form sent.')) }).catch((err) => this.toast(err))
    })
    return form
  }

  renderAttachment (m) {
    const name = m.file_info?.name || `attachment ${m.media_id}`
    const b = btn(`Download ${name}`, async () => {
      const file = await this.client.getMessageAttachment(m)
      if (!file) return this.toast(new Error('attachment not available'))
      const url = URL.createObjectURL(file)
      const a = el('a', { href: url, download: file.name || name })
      a.click()
      setTimeout(() => URL.revokeObjectURL(url), 1000)
    })
    b.classList.add('attachment')
    return b
  }

  setTyping (who, on) {
    if (!this.typing) return
    this.typing.textContent = on ? `${who?.name || 'Agent'} is typing…` : ''
  }

  setConn (text) {
    const conn = this.header?.querySelector('.conn')
    if (conn) conn.textContent = text
  }

  async finish () {
    try { await this.client.finishChat() } catch (err) { this.toast(err) }
  }

  showDismissed () {
    if (!this.body) return
    const chat = this.state.chat
    const resume = btn('Resume chat', async () => {
      try { this.state.chat = await this.client.resumeChat(chat.id); this.renderChat(); for (const m of await this.client.fetchMessages()) this.addMessage(m) } catch (err) { this.renderError(err) }
    })
    this.body.replaceChildren(el('p', { role: 'status' }, 'The chat was paused because it was idle.'), resume)
  }

  async showEnd (text) {
    if (this.state.view === 'end') return
    this.state.view = 'end'
    if (this.state.chat?.status === 'deflected') {
      const where = this.state.emailSent ? 'Thanks — we will answer your email.' : 'The conversation continues elsewhere.'
      this.body.replaceChildren(el('p', { role: 'status' }, where), this.renderTranscripts())
      this.emit('ended', this.state.chat)
      return
    }
    const parts = [el('p', { role: 'status' }, text)]
    const survey = el('div', { class: 'survey' })
    parts.push(survey, this.renderRating(), this.renderTranscripts())
    this.body.replaceChildren(...parts)
    try {
      const s = await this.client.getChatSurvey()
      survey.replaceChildren(this.renderSurvey(s))
    } catch {}
    this.emit('ended', this.state.chat)
  }

  renderSurvey (s) {
    if (!s?.questions?.length) return el('span')
    const form = el('form', { class: 'survey-form' }, el('h3', {}, 'A few questions'))
    const fields = []
    for (const q of s.questions) {
      const id = `q${q.id}`
      const label = el('label', { for: id }, q.display_text)
      let input
      if (q.valid_answers?.length) {
        input = el('select', { id }, el('option', { value: '' }, '—'), ...q.valid_answers.map((a) => el('option', { value: a.key }, a.value)))
      } else if (q.type === 'star' || q.type === 'scale' || q.type === 'csat') {
        input = el('input', { id, type: 'number', min: '1', max: q.type === 'scale' ? '10' : '5' })
      } else {
        input = el('textarea', { id, rows: '2' })
      }
      fields.push([q, input])
      form.append(label, input)
    }
    form.append(el('button', { type: 'submit' }, 'Send answers'))
    form.addEventListener('submit', async (e) => {
      e.preventDefault()
      const answers = {}
      for (const [q, input] of fields) {
        if (input.value === '') continue
        answers[q.id] = input.type === 'number' ? Number(input.value) : input.value
      }
      try {
        await this.client.sendChatSurvey(answers)
        form.replaceChildren(el('p', { role: 'status' }, s.sign_off_display_text || 'Thank you!'))
        this.emit('survey', answers)
      } catch (err) { this.toast(err) }
    })
    return form
  }

  renderRating () {
    const box = el('form', { class: 'rating' }, el('h3', {}, 'Rate this chat'))
    const stars = el('div', { class: 'stars', role: 'radiogroup', 'aria-label': 'Rating' })
    let rating = 0
    for (let i = 1; i <= 5; i++) {
      const r = el('input', { type: 'radio', name: 'rating', value: String(i), id: `star${i}`, 'aria-label': `${i} of 5` })
      r.addEventListener('change', () => { rating = i })
      stars.append(r, el('label', { for: `star${i}` }, '★'))
    }
    const feedback = el('textarea', { rows: '2', 'aria-label': 'Feedback (optional)', placeholder: 'Feedback (optional)' })
    box.append(stars, feedback, el('button', { type: 'submit' }, 'Send rating'))
    box.addEventListener('submit', async (e) => {
      e.preventDefault()
      if (!rating) return this.toast(new Error('pick a rating first'))
      try {
        await this.client.sendChatRate({ rating, feedback: feedback.value || undefined })
        box.replaceChildren(el('p', { role: 'status' }, 'Thanks for your rating.'))
        this.emit('rated', rating)
      } catch (err) { this.toast(err) }
    })
    return box
  }

  renderTranscripts () {
    const email = el('input', { type: 'email', 'aria-label': 'Email address for the transcript', placeholder: 'you@example.com' })
    const form = el('form', { class: 'transcript' }, el('h3', {}, 'Transcript'), email, el('button', { type: 'submit' }, 'Email it'))
    form.addEventListener('submit', async (e) => {
      e.preventDefault()
      if (!email.value) return
      try { await this.client.sendChatTranscripts([email.value]); this.toast('Transcript sent.') } catch (err) { this.toast(err) }
    })
    form.append(btn('Download PDF', () => this.downloadPdf()))
    return form
  }

  async downloadPdf () {
    try {
      const { chat_transcript_id: id } = await this.client.downloadChatTranscript()
      for (let i = 0; i < 30; i++) {
        const resp = await this.client.getPdfStatus(id)
        const status = resp.headers['x-transcript-status'] || resp.data?.status
        if (status === 'ready' && resp.data?.body) {
          const url = URL.createObjectURL(resp.data.body)
          el('a', { href: url, download: `chat-${this.state.chat?.id}.pdf` }).click()
          setTimeout(() => URL.revokeObjectURL(url), 1000)
          return
        }
        if (status === 'failed') throw new Error(resp.data?.failed_reason || 'transcript failed')
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
      throw new Error('transcript not ready in time')
    } catch (err) { this.toast(err) }
  }

  toast (errOrText) {
    if (!this.root) return
    const text = typeof errOrText === 'string' ? errOrText : (errOrText?.message || String(errOrText))
    const t = el('p', { class: 'toast', role: 'alert' }, text)
    this.panel.append(t)
    setTimeout(() => t.remove(), 4000)
  }

  /** destroy removes the UI and every listener; it destroys the client it created. */
  destroy () {
    for (const fn of this.cleanups.splice(0)) { try { fn() } catch {} }
    this.hostEl?.remove()
    this.root = null
    this.listeners.clear()
    if (this.ownsClient) this.client.destroy()
  }
}

function el (tag, attrs = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v)
  for (const c of children) {
    if (c === '' || c == null) continue
    node.append(typeof c === 'string' ? document.createTextNode(c) : c)
  }
  return node
}

function btn (label, onClick) {
  const b = el('button', { type: 'button' }, label)
  b.addEventListener('click', onClick)
  return b
}

// safeURL lets through only http(s) links, so content can't smuggle javascript: URLs.
function safeURL (u) {
  try {
    const url = new URL(u, document.baseURI)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : 'about:blank'
  } catch { return 'about:blank' }
}

function notiText (m) {
  switch (m.event) {
    case 'escalationStarted': return 'Looking for an agent…'
    case 'escalationAccepted': return 'An agent joined the chat.'
    // The platform says why (its after-hours message, or that no agent is
    // online); the machine-readable option list after it is for the buttons.
    case 'escalationDeflected': return (m.content || '').split(' Options:')[0] || 'No agent is available right now.'
    case 'memberJoined': return `${m.user_name || 'Someone'} joined the chat.`
    case 'memberLeft': return `${m.user_name || 'Someone'} left the chat.`
    case 'chatEnded': return 'The chat has ended.'
    case 'chatDismissed': return 'The chat was paused.'
    case 'chatResumed': return 'The chat resumed.'
    case 'formRequested': return 'The agent sent you a form.'
    case 'formCompleted': return 'Form completed.'
    default: return m.content || m.event || 'notice'
  }
}

// Auto-start from the script tag's data attributes (in a browser only:
// importing the module elsewhere, as under SSR, has no effect).
const tag = typeof document !== 'undefined' && [...document.querySelectorAll('script[type="module"][src]')].find((s) => s.src === import.meta.url && s.dataset.companyId)
if (tag) {
  const d = tag.dataset
  const w = new Widget({ companyId: d.companyId, tenant: d.tenant, host: d.host || new URL(import.meta.url).origin, bridge: d.bridge, tokenUrl: d.tokenUrl, menuKey: d.menuKey, lang: d.lang || 'en', title: d.title || 'Chat with us', sdkBase: d.sdkBase })
  w.mount(d.mount || undefined)
  globalThis.ccaipWidget = w
}
