// Drop-in chat widget built only on the public headless client.
//
//   <script type="module" src="https://…/sdk/widget.js"
//           data-company-id="demo" data-tenant="demo" data-host="https://platform"
//           data-token-url="/my/token" data-menu-key="direct_menu_key"
//           data-brand-color="#0b6e4f" data-position="left" data-theme="dark"></script>
//
// or programmatically:
//
//   import { Widget } from '…/sdk/widget.js'
//   const w = new Widget({ companyId, tenant, host, authenticate, brandColor: '#0b6e4f' })
//   w.mount('#chat'); w.start({ menuKey })
//
// The UI lives in a shadow root, uses no inline script or style (it works
// under script-src 'self' 'wasm-unsafe-eval' and style-src 'self'; custom
// properties are set through the CSSOM), and renders every piece of user or
// agent content as text, never as HTML. Theming: js/README.md.

import { Client } from './loader.js'
import { STRINGS, RTL } from './widget-strings.js'

const STYLE = new URL('./widget.css', import.meta.url).href
const MAX_FILE_MB = 10
const GROUP_MS = 5 * 60 * 1000 // messages of one sender this close form a group
const SVG = 'http://www.w3.org/2000/svg'
const ICONS = {
  chat: 'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6A.5.5 0 0 1 5 19.2V16a1 1 0 0 1-1-1z',
  down: 'M6 9l6 6 6-6',
  send: 'M4 12l16-8-6 16-2.5-6.5z',
  clip: 'M16.5 6.5l-7.8 7.8a1.8 1.8 0 0 0 2.5 2.5l8-8a3.5 3.5 0 0 0-5-5l-8 8a5.2 5.2 0 0 0 7.4 7.4l7-7',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  file: 'M7 3h7l5 5v13H7zM14 3v5h5'
}

/** Widget is the chat UI; one per page is the common case. */
export class Widget {
  /**
   * @param {object} options ClientOption of the headless SDK, plus
   *   tokenUrl (POSTed to obtain {token} when no authenticate is given),
   *   menuKey (direct-access menu key), lang, title, client (an existing
   *   Client), and the theme: brandColor, radius, font, position
   *   ('right' | 'left'), launcherLabel, theme ('auto' | 'light' | 'dark'),
   *   strings (overrides of single strings).
   */
  constructor (options = {}) {
    this.options = { lang: 'en', ...options }
    this.listeners = new Map()
    this.cleanups = []
    this.waitTimer = 0 // the deflection threshold's timer while queued
    this.waitOffered = 0 // the escalation whose wait already got the offer
    this.cleanups.push(() => this.clearWait(), () => clearTimeout(this.typingTimer))
    this.client = options.client || new Client(this.clientOptions())
    this.ownsClient = !options.client
    this.root = null
    this.unread = 0
    this.conn = 'offline'
    this.pending = [] // own messages shown before the outbox named them, in send order
    this.byClient = new Map() // client_id → own message element
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
  config (options) {
    Object.assign(this.options, options)
    if (this.root) { this.applyTheme(); this.applyLang() }
    return this
  }

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

  /** lang is the chat's language once there is a chat, else the option's. */
  get lang () { return (this.state.chat?.lang || this.options.lang || 'en').toLowerCase().split('-')[0] }

  /** t is the string key in the current language, {0}… replaced by args. */
  t (key, ...args) {
    const s = this.options.strings?.[key] ?? STRINGS[this.lang]?.[key] ?? STRINGS.en[key] ?? key
    return s.replace(/\{(\d)\}/g, (_, i) => String(args[i] ?? ''))
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
    this.badge = el('span', { class: 'badge', 'aria-hidden': 'true', hidden: '' })
    this.launcherText = el('span', { class: 'label' })
    this.launcher = el('button', { class: 'launcher', type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' }, icon('chat'), icon('down'), this.launcherText, this.badge)
    this.titleEl = el('h2', { id: 'ccaip-title' })
    this.connEl = el('p', { class: 'conn', role: 'status' })
    this.closeBtn = el('button', { class: 'close icon', type: 'button' }, icon('down'))
    this.header = el('header', {}, el('span', { class: 'logo', 'aria-hidden': 'true' }, icon('chat')),
      el('div', { class: 'heading' }, this.titleEl, this.connEl), this.closeBtn)
    this.body = el('div', { class: 'body' })
    this.panel = el('section', { class: 'panel', role: 'dialog', 'aria-labelledby': 'ccaip-title', hidden: '' }, this.header, this.body)
    this.frame = el('div', { class: 'frame' }, this.launcher, this.panel)
    this.root.append(el('link', { rel: 'stylesheet', href: STYLE }), this.frame)
    this.applyTheme()
    this.applyLang()
    this.listen(this.launcher, 'click', () => this.panel.hidden ? this.show() : this.hide())
    this.listen(this.closeBtn, 'click', () => this.hide())
    this.listen(this.panel, 'keydown', (e) => { if (e.key === 'Escape') this.hide() })
    this.bindDrop()
    this.bindViewport()
    // The browser knows it is offline before any socket times out.
    this.listen(globalThis, 'offline', () => this.setConn(this.conn))
    this.listen(globalThis, 'online', () => this.setConn(this.conn))
    this.bindClient()
    return this
  }

  /** applyTheme turns the theme options into custom properties and data- attributes of the host. */
  applyTheme () {
    const o = this.options
    const h = this.hostEl
    const set = (prop, v) => { if (v) h.style.setProperty(prop, v) }
    set('--ccaip-brand', o.brandColor)
    set('--ccaip-on-brand', o.brandColor && onColor(o.brandColor))
    set('--ccaip-radius', o.radius)
    set('--ccaip-font', o.font)
    h.dataset.position = o.position === 'left' ? 'left' : 'right'
    h.dataset.theme = ['light', 'dark'].includes(o.theme) ? o.theme : 'auto'
  }

  /** applyLang sets the direction, language and the strings of the frame. */
  applyLang () {
    if (!this.root) return
    this.frame.lang = this.lang
    this.frame.dir = RTL.includes(this.lang) ? 'rtl' : 'ltr'
    const title = this.options.title || this.t('title')
    this.titleEl.textContent = title
    this.launcherText.textContent = this.options.launcherLabel || ''
    this.launcher.classList.toggle('labelled', !!this.options.launcherLabel)
    this.closeBtn.setAttribute('aria-label', this.t('close'))
    this.setConn(this.conn)
    this.renderUnread()
  }

  listen (target, type, fn, opts) {
    target.addEventListener(type, fn, opts)
    this.cleanups.push(() => target.removeEventListener(type, fn, opts))
  }

  /** bindViewport keeps the phone sheet inside the visual viewport, so the keyboard never covers the composer. */
  bindViewport () {
    const vv = globalThis.visualViewport
    if (!vv) return
    const fit = () => {
      this.hostEl.style.setProperty('--ccaip-vh', `${Math.round(vv.height)}px`)
      this.hostEl.style.setProperty('--ccaip-vtop', `${Math.round(vv.offsetTop)}px`)
    }
    fit()
    this.listen(vv, 'resize', fit)
    this.listen(vv, 'scroll', fit)
  }

  /** bindDrop sends files dropped on the panel while a chat is open. */
  bindDrop () {
    const files = (e) => this.state.view === 'chat' && [...(e.dataTransfer?.types || [])].includes('Files')
    const over = (e) => { if (!files(e)) return; e.preventDefault(); this.panel.classList.add('dropping') }
    this.listen(this.panel, 'dragenter', over)
    this.listen(this.panel, 'dragover', over)
    this.listen(this.panel, 'dragleave', (e) => { if (!this.panel.contains(e.relatedTarget)) this.panel.classList.remove('dropping') })
    this.listen(this.panel, 'drop', (e) => {
      this.panel.classList.remove('dropping')
      if (!files(e)) return
      e.preventDefault()
      this.sendFiles(e.dataTransfer.files)
    })
  }

  bindClient () {
    const c = this.client
    const on = (ev, fn) => { const off = c.on(ev, fn); this.cleanups.push(typeof off === 'function' ? off : () => c.off(ev, fn)) }
    on('chat.message', (m) => this.addMessage(m))
    on('chat.updated', (chat) => { this.state.chat = chat; this.applyLang(); this.renderChatStatus() })
    on('connection.state', (s) => this.setConn(s))
    on('message.status', (s) => this.onStatus(s))
    on('chat.typingStarted', (who) => this.setTyping(who, true))
    on('chat.typingEnded', (who) => this.setTyping(who, false))
    on('chat.ended', () => this.showEnd(this.t('ended')))
    on('chat.timeout', () => this.showEnd(this.t('timedOut')))
    on('chat.dismissed', () => this.showDismissed())
  }

  show () {
    if (!this.root) this.mount()
    this.panel.hidden = false
    this.frame.classList.add('open')
    this.launcher.setAttribute('aria-expanded', 'true')
    this.unread = 0
    this.renderUnread()
    if (this.state.view === 'closed') this.start(this.startOptions || {})
    if (this.atBottom !== false) this.scrollDown()
    this.panel.querySelector('textarea, .body button, .body a')?.focus()
    this.emit('show')
    return this
  }

  hide () {
    if (!this.panel) return this
    this.panel.hidden = true
    this.frame.classList.remove('open')
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
    this.renderStatus(this.t('loading'))
    try {
      const chat = await this.client.loadOngoingChat()
      if (chat) {
        this.state.chat = chat
        this.renderChat()
        await this.loadHistory()
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

  async loadHistory () {
    this.loadingHistory = true
    try { for (const m of await this.client.fetchMessages()) this.addMessage(m) } finally { this.loadingHistory = false }
    this.scrollDown()
  }

  renderStatus (text) {
    this.body.replaceChildren(el('div', { class: 'center' }, el('span', { class: 'spinner', 'aria-hidden': 'true' }), el('p', { class: 'status', role: 'status' }, text)))
  }

  renderError (err) {
    this.body.replaceChildren(el('div', { class: 'center error', role: 'alert' }, el('p', {}, this.t('error', err?.message || err)),
      btn(this.t('tryAgain'), () => this.start(this.startOptions), 'primary')))
    this.emit('error', err)
  }

  renderMenus (menus) {
    this.state.view = 'menus'
    this.setConn(this.conn)
    const list = el('ul', { class: 'menus', role: 'list' })
    const addItems = (items, depth) => {
      for (const item of items || []) {
        if (!item.enabled) continue
        const name = item.name || `Menu ${item.id}`
        const li = el('li', { class: `depth-${Math.min(depth, 3)}` })
        if (item.children?.length) {
          li.append(el('span', { class: 'group' }, name))
          list.append(li)
          addItems(item.children, depth + 1)
          continue
        }
        const wait = el('span', { class: 'wait' })
        const b = el('button', { type: 'button', class: 'menu' }, el('span', { class: 'name' }, name), wait)
        li.append(b)
        list.append(li)
        this.listen(b, 'click', () => this.pickMenu(item))
        if (item.channels?.includes('chat')) {
          this.client.getWaitTimes(item.id, this.options.lang).then((w) => {
            wait.textContent = w.chat > 0 ? this.t('wait', Math.ceil(w.chat / 60)) : this.t('noWait')
          }).catch(() => {})
        }
      }
    }
    addItems(menus.menus, 0)
    this.body.replaceChildren(el('div', { class: 'intro' }, el('h3', {}, this.t('help')), el('p', {}, this.t('helpSub'))), list)
  }

  async pickMenu (item) {
    if (item.redirection?.data) {
      this.body.replaceChildren(el('div', { class: 'center' }, el('p', {}, this.t('elsewhere')),
        el('a', { href: safeURL(item.redirection.data), target: '_blank', rel: 'noopener noreferrer', class: 'button primary' }, item.redirection.data)))
      return
    }
    if (!item.channels?.includes('chat')) {
      this.body.replaceChildren(el('div', { class: 'center' }, el('p', {}, this.t('noChat')), el('p', { class: 'muted' }, (item.channels || []).join(', '))))
      return
    }
    this.renderStatus(this.t('starting'))
    try {
      const chat = await this.client.createChat(item.id, { lang: this.options.lang })
      this.state.chat = chat
      this.applyLang()
      this.renderChat()
      this.emit('chat', chat)
    } catch (err) {
      this.renderError(err)
    }
  }

  renderChat () {
    this.state.view = 'chat'
    this.state.messages.clear()
    this.pending = []
    this.byClient.clear()
    this.atBottom = true
    // role=log sits on a wrapper so the list keeps its list semantics; the
    // list scrolls, so it takes focus for keyboard scrolling.
    this.log = el('ol', { class: 'log', 'aria-label': this.t('messages'), tabindex: '0' })
    this.typing = el('li', { class: 'msg agent typing', hidden: '' })
    this.log.append(this.typing)
    this.pill = btn(this.t('newMsgs'), () => this.scrollDown(), 'pill')
    this.pill.prepend(icon('down'))
    this.pill.hidden = true
    const logRegion = el('div', { class: 'log-region', role: 'log', 'aria-live': 'polite' }, this.log, this.pill)
    // Stay at the bottom when the log shrinks (the phone keyboard, a resize).
    if (globalThis.ResizeObserver) {
      const ro = new ResizeObserver(() => { if (this.atBottom) this.scrollDown() })
      ro.observe(this.log)
      this.cleanups.push(() => ro.disconnect())
    }
    this.listen(this.log, 'scroll', () => {
      this.atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 24
      if (this.atBottom) this.pill.hidden = true
    }, { passive: true })
    this.queueBox = el('div', { class: 'queue', role: 'status', hidden: '' })
    const input = el('textarea', { rows: '1', 'aria-label': this.t('message'), placeholder: this.t('placeholder'), maxlength: '8000' })
    const file = el('input', { type: 'file', 'aria-label': this.t('attach'), class: 'file', tabindex: '-1' })
    const attach = el('button', { type: 'button', class: 'icon attach', 'aria-label': this.t('attach') }, icon('clip'))
    const send = el('button', { type: 'submit', class: 'icon send', 'aria-label': this.t('send') }, icon('send'))
    const actions = el('div', { class: 'actions' },
      btn(this.t('human'), () => this.client.escalateChat().catch((e) => this.toast(e)), 'ghost'),
      btn(this.t('end'), () => this.finish(), 'ghost'))
    const form = el('form', { class: 'composer' }, attach, file, input, send)
    const grow = () => { input.style.height = 'auto'; input.style.height = `${Math.min(input.scrollHeight, 120)}px` }
    // The agent sees the visitor typing: started by the first keystroke,
    // ended by a send, an emptied box or 3 s without one.
    let typing = false
    let typingIdle = 0
    const stopTyping = () => {
      clearTimeout(typingIdle)
      if (!typing) return
      typing = false
      this.client.chat?.stopTyping().catch(() => {})
    }
    this.listen(form, 'submit', (e) => {
      e.preventDefault()
      const text = input.value.trim()
      if (!text) return
      input.value = ''
      grow()
      stopTyping()
      this.sendText(text)
    })
    this.listen(input, 'keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit() }
    })
    let previewTimer = 0
    this.listen(input, 'input', () => {
      grow()
      if (!input.value) {
        stopTyping()
      } else {
        if (!typing && this.client.chat) {
          typing = true
          this.client.chat.startTyping().catch(() => {})
        }
        clearTimeout(typingIdle)
        typingIdle = setTimeout(stopTyping, 3000)
      }
      clearTimeout(previewTimer)
      previewTimer = setTimeout(() => this.client.sendPreviewMessage(input.value).catch(() => {}), 300)
    })
    this.listen(input, 'paste', (e) => {
      if (!e.clipboardData?.files?.length) return
      e.preventDefault()
      this.sendFiles(e.clipboardData.files)
    })
    this.cleanups.push(() => clearTimeout(previewTimer), () => clearTimeout(typingIdle))
    this.listen(attach, 'click', () => file.click())
    this.listen(file, 'change', () => { const f = [...(file.files || [])]; file.value = ''; this.sendFiles(f) })
    this.body.replaceChildren(this.queueBox, logRegion, el('div', { class: 'dock' }, actions, form), el('p', { class: 'drop-hint', 'aria-hidden': 'true' }, this.t('drop')))
    this.renderChatStatus()
    input.focus()
  }

  /** sendText shows the message at once and sends it; the outbox's events update its state. */
  sendText (text) {
    const li = this.ownMessage('text', el('p', { class: 'text', dir: 'auto' }, text))
    li.retry = () => this.client.sendTextMessage(text).catch(() => {}) // failures arrive as message.status
    li.retry()
  }

  async sendFiles (files) {
    for (const f of files) await this.sendFile(f)
  }

  async sendFile (f) {
    if (!f) return
    if (f.size > MAX_FILE_MB * 1024 * 1024) return this.toast(this.t('tooBig', f.name, MAX_FILE_MB))
    const ext = (f.name.split('.').pop() || '').toLowerCase()
    try {
      this.prohibited ||= await this.client.getProhibitedFileTypes()
      if (this.prohibited.some((t) => t.extension.replace(/^\./, '').toLowerCase() === ext)) return this.toast(this.t('notAllowed', ext))
    } catch {}
    const li = this.ownMessage('file', this.renderAttachment({ file_info: { name: f.name, size: f.size, content_type: f.type } }, f))
    li.querySelector('.bubble').classList.add('bare')
    li.retry = async () => {
      const id = await this.client.sendFileMessage(f).catch(() => -1)
      if (id === -1 && li.dataset.state !== 'failed') this.setDelivery(li, 'failed')
    }
    li.retry()
  }

  /** ownMessage adds an end-user message that is being sent, before the platform numbers it. */
  ownMessage (kind, content) {
    const li = this.messageShell({ $userType: 'end_user', $timestamp: new Date().toISOString() })
    li.dataset.kind = kind
    li.querySelector('.bubble').append(content)
    this.pending.push(li)
    this.setDelivery(li, 'sending')
    this.place(li)
    this.scrollDown()
    return li
  }

  /** onStatus follows an outgoing message through the outbox (message.status). */
  onStatus (s) {
    if (s.kind === 'preview' || !this.log) return
    let li = this.byClient.get(s.client_id)
    if (!li) {
      const i = this.pending.findIndex((p) => p.dataset.kind === s.kind)
      if (i < 0) return
      li = this.pending.splice(i, 1)[0]
      li.dataset.clientId = s.client_id
      this.byClient.set(s.client_id, li)
    }
    if (s.state === 'sent' && s.message) this.adopt(li, s.message)
    this.setDelivery(li, s.state === 'queued' ? (s.error ? 'waiting' : 'sending') : s.state)
  }

  /** adopt gives a shown own message the platform's message (its $index). */
  adopt (li, m) {
    if (li.dataset.index) return
    li.dataset.index = String(m.$index)
    li.message = m
    this.state.messages.set(m.$index, m)
    this.place(li)
    this.emit('message', m)
  }

  setDelivery (li, state) {
    li.dataset.state = state
    const d = li.querySelector('.delivery')
    d.replaceChildren(state === 'sent' ? icon('check') : '', this.t({ sending: 'sending', waiting: 'waiting', sent: 'sent', failed: 'failed' }[state] || 'sending'))
    if (state === 'failed') {
      d.append(btn(this.t('retry'), () => {
        li.remove()
        this.byClient.delete(li.dataset.clientId)
        delete li.dataset.clientId
        this.pending.push(li)
        this.setDelivery(li, 'sending')
        this.place(li)
        this.scrollDown()
        li.retry()
      }, 'retry'))
    }
    this.markLastOwn()
  }

  markLastOwn () {
    const own = this.log.querySelectorAll('li.end_user')
    own.forEach((li, i) => li.classList.toggle('last-own', i === own.length - 1))
  }

  renderChatStatus () {
    const chat = this.state.chat
    if (!chat || !this.queueBox) return
    this.setConn(this.conn)
    const queued = chat.status === 'queued'
    this.queueBox.hidden = !queued
    if (queued) {
      this.queueBox.replaceChildren(el('span', { class: 'dots', 'aria-hidden': 'true' }, el('i'), el('i'), el('i')),
        el('div', {}, el('strong', {}, chat.queue_position ? this.t('queuePos', chat.queue_position) : this.t('queued')),
          el('p', {}, this.t('queueNote'))))
    }
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
      this.offerDeflection(this.t('deflectWait'))
    }, d.threshold * 1000)
  }

  clearWait () {
    if (this.waitTimer > 0) clearTimeout(this.waitTimer)
    this.waitTimer = 0
  }

  /** messageShell is a message's row: avatar, name and time, the bubble, and (own messages) the delivery state. */
  messageShell (m) {
    const who = m.$userType
    const name = who === 'end_user' ? this.t('you') : (m.user_name || this.t(who === 'virtual_agent' ? 'assistant' : 'agent'))
    const li = el('li', { class: `msg ${who}` })
    li.dataset.sender = `${who}:${m.user_name || ''}`
    li.dataset.ts = String(Date.parse(m.$timestamp) || Date.now())
    const time = el('time', { datetime: m.$timestamp || '' }, fmtTime(Number(li.dataset.ts), this.lang))
    if (who !== 'end_user') li.append(el('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(name)))
    const stack = el('div', { class: 'stack' }, el('div', { class: 'meta' }, el('span', { class: 'author' }, name), time), el('div', { class: 'bubble' }))
    if (who === 'end_user') stack.append(el('div', { class: 'delivery' }))
    li.append(stack)
    return li
  }

  addMessage (m) {
    if (!this.log || this.state.messages.has(m.$index)) return
    // The echo of an own message that is already shown.
    const mine = m.$userType === 'end_user' && m.client_id && this.byClient.get(m.client_id)
    if (mine) { this.adopt(mine, m); this.setDelivery(mine, 'sent'); return }
    this.state.messages.set(m.$index, m)
    let li
    if (m.type === 'noti') {
      li = el('li', { class: `msg noti ${m.$userType}` }, notiText(m, this))
    } else {
      li = this.messageShell(m)
      const bubble = li.querySelector('.bubble')
      const stack = li.querySelector('.stack')
      if (m.content) bubble.append(el('p', { class: 'text', dir: 'auto' }, m.content))
      if (m.card) bubble.append(this.renderCard(m.card))
      if (m.form) bubble.append(this.renderForm(m))
      if (m.file_info || m.media_id) bubble.append(this.renderAttachment(m))
      if (!bubble.childElementCount) bubble.remove()
      else if (!m.content) bubble.classList.add('bare') // a card, form or file is its own surface
      if (m.buttons?.length) stack.append(this.renderButtons(m.buttons))
      if (m.quick_replies?.length) stack.append(this.renderButtons(m.quick_replies, true))
      if (m.$userType === 'end_user') this.setDelivery(li, 'sent')
      if (m.$userType !== 'end_user') this.setTyping(null, false)
    }
    li.dataset.index = String(m.$index)
    this.place(li)
    if (m.$userType === 'end_user') this.markLastOwn()
    const incoming = m.$userType !== 'end_user' && !this.loadingHistory
    if (incoming && this.panel.hidden && m.type !== 'noti') { this.unread++; this.renderUnread() }
    if (!this.loadingHistory) {
      if (this.atBottom) this.scrollDown()
      else if (incoming) this.pill.hidden = false
    }
    this.emit('message', m)
    if (m.type === 'noti' && m.event === 'escalationDeflected') this.offerDeflection()
  }

  /** place puts li in $index order; messages not numbered yet (being sent) and the typing row stay last. */
  place (li) {
    const idx = Number(li.dataset.index)
    const next = idx
      ? [...this.log.children].find((c) => c !== li && (!c.dataset.index || Number(c.dataset.index) > idx))
      : this.typing
    this.log.insertBefore(li, next?.parentNode === this.log ? next : null)
    this.regroup(li)
    this.regroup(li.nextElementSibling)
  }

  /** regroup marks li as the first of its group unless the previous row is the same sender's, shortly before. */
  regroup (li) {
    if (!li?.classList.contains('msg') || li.classList.contains('noti')) return
    const prev = li.previousElementSibling
    const cont = prev && !prev.classList.contains('noti') && prev.dataset.sender === li.dataset.sender && Number(li.dataset.ts) - Number(prev.dataset.ts) < GROUP_MS
    li.classList.toggle('first', !cont)
  }

  scrollDown () {
    if (!this.log) return
    this.log.scrollTop = this.log.scrollHeight
    this.atBottom = true
    if (this.pill) this.pill.hidden = true
  }

  renderUnread () {
    if (!this.badge) return
    this.badge.hidden = !this.unread
    this.badge.textContent = this.unread > 9 ? '9+' : String(this.unread)
    // A visible label must be the start of the accessible name.
    const name = this.options.launcherLabel || this.options.title || this.t('title')
    this.launcher.setAttribute('aria-label', this.unread ? `${name}, ${this.t('unread', this.unread)}` : name)
  }

  /** offerDeflection shows the other ways to get help when no agent can take the chat. */
  async offerDeflection (question = this.t('deflectAsk')) {
    if (!this.state.chat || !this.log) return
    // The notice and the chat update may arrive in either order: ask.
    let chat
    try { chat = this.state.chat = await this.client.loadChat(this.state.chat.id) } catch { return }
    const eid = chat.escalation_id
    if (!eid || chat.status !== 'queued') return
    let d = null
    try { d = await this.client.getChatDeflection() } catch {}
    this.deflectionBox?.remove()
    const choices = el('div', { class: 'choices' })
    const box = el('div', { class: 'deflection', role: 'group', 'aria-label': this.t('otherWays') },
      el('strong', {}, this.t('otherWays')), el('p', {}, question), choices)
    const pick = async (channel) => {
      try {
        await this.client.trackChatEscalation(eid, channel)
        this.state.deflection = channel
        box.remove()
        this.emit('deflection', channel)
      } catch (err) { this.toast(err) }
    }
    if (!d || d.keep_waiting) choices.append(btn(this.t('keepWaiting'), () => pick('keep_waiting'), 'choice'))
    if (chat.virtual_agent || chat.all_virtual_agents?.length) choices.append(btn(this.t('backToVA'), () => pick('virtual_agent'), 'choice'))
    if (d?.email) choices.append(btn(this.t('emailUs'), () => box.replaceChildren(this.renderEmailForm(chat, () => pick('email'))), 'choice'))
    if (d?.external_deflection_links?.enabled) {
      for (const link of await this.deflectionLinks(d.external_deflection_links.ids)) {
        const a = el('a', { href: safeURL(link.data), target: '_blank', rel: 'noopener noreferrer', class: 'button choice' }, link.name || link.data)
        a.addEventListener('click', () => pick('external_link'))
        choices.append(a)
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
      el('label', { for: 'defl-name' }, this.t('name')), name,
      el('label', { for: 'defl-email' }, this.t('email')), email,
      el('label', { for: 'defl-content' }, this.t('question')), content,
      el('button', { type: 'submit', class: 'primary' }, this.t('sendEmail')))
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
    const box = el('div', { class: 'card', dir: 'auto' })
    if (card.image_url) box.append(el('img', { src: safeURL(card.image_url), alt: card.title || '' }))
    const text = el('div', { class: 'card-text' }, el('strong', {}, card.title || ''))
    if (card.subtitle) text.append(el('span', { class: 'subtitle' }, card.subtitle))
    if (card.body) text.append(el('p', {}, card.body))
    if (card.link) text.append(el('a', { href: safeURL(card.link), target: '_blank', rel: 'noopener noreferrer', class: 'link' }, hostOf(card.link)))
    box.append(text)
    if (card.buttons?.length) box.append(this.renderButtons(card.buttons))
    return box
  }

  /** renderButtons makes buttons and links; quick replies go away once one is picked. */
  renderButtons (buttons, quick) {
    const row = el('div', { class: quick ? 'buttons quick' : 'buttons', role: 'group' })
    for (const b of buttons) {
      if (b.url) {
        row.append(el('a', { href: safeURL(b.url), target: '_blank', rel: 'noopener noreferrer', class: 'button' }, b.title))
      } else {
        row.append(btn(b.title, () => {
          if (quick) row.remove()
          this.sendText(b.payload || b.title)
        }))
      }
    }
    return row
  }

  renderForm (m) {
    const f = m.form
    const input = el('input', { type: 'text', 'aria-label': f.title || f.name || this.t('answer'), required: '' })
    const form = el('form', { class: 'agent-form' }, el('strong', {}, f.title || f.name || 'Form'),
      f.subtitle ? el('span', { class: 'subtitle' }, f.subtitle) : '', input, el('button', { type: 'submit', class: 'primary' }, this.t('submit')))
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      this.sendText(input.value) // its delivery state shows on the answer
      form.replaceChildren(el('em', {}, this.t('formSent')))
    })
    return form
  }

  /** renderAttachment is a file as a download button, with a preview for images; local is the file being sent. */
  renderAttachment (m, local) {
    const info = m.file_info || {}
    const name = info.name || `attachment ${m.media_id}`
    const box = el('div', { class: 'file-box' })
    const b = btn('', async () => {
      const msg = m.media_id ? m : box.closest('li')?.message
      const file = msg ? await this.client.getMessageAttachment(msg).catch(() => null) : local
      if (!file) return this.toast(this.t('notAvailable'))
      const url = this.objectURL(file)
      el('a', { href: url, download: file.name || name }).click()
    }, 'attachment')
    b.setAttribute('aria-label', this.t('download', name))
    b.append(icon('file'), el('span', { class: 'fname' }, name), el('span', { class: 'fsize' }, fmtSize(info.size)))
    box.append(b)
    const image = /^image\//.test(info.content_type || local?.type || '') || m.type === 'photo'
    if (image) {
      const img = el('img', { alt: name, class: 'preview' })
      box.prepend(img)
      if (local) img.src = this.objectURL(local)
      else this.client.getMessageAttachment(m).then((f) => { if (f) img.src = this.objectURL(f) }).catch(() => img.remove())
    }
    if (local) box.append(el('progress', { 'aria-label': this.t('sending') }))
    return box
  }

  /** objectURL is a blob: URL the widget revokes on destroy. */
  objectURL (blob) {
    const url = URL.createObjectURL(blob)
    this.cleanups.push(() => URL.revokeObjectURL(url))
    return url
  }

  setTyping (who, on) {
    if (!this.typing) return
    if (on && who?.type === 'end_user') return
    clearTimeout(this.typingTimer)
    this.typing.hidden = !on
    if (!on) return
    // An agent who closes the tab never says they stopped.
    this.typingTimer = setTimeout(() => this.setTyping(null, false), 30000)
    const name = who?.name || this.t('agent')
    this.typing.replaceChildren(el('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(name)),
      el('div', { class: 'stack' }, el('div', { class: 'bubble' }, el('span', { class: 'dots', 'aria-hidden': 'true' }, el('i'), el('i'), el('i')),
        el('span', { class: 'sr' }, this.t('typing', name)))))
    this.log.append(this.typing)
    if (this.atBottom) this.scrollDown()
  }

  /** setConn shows the realtime link's state (connection.state) in the header. */
  setConn (state) {
    this.conn = state
    if (!this.connEl) return
    const chat = this.state.chat
    const live = this.state.view === 'chat' && chat
    let text = this.t('replyTime')
    let shown = 'idle'
    if (live) {
      shown = globalThis.navigator?.onLine === false ? 'offline' : state === 'polling' ? 'connected' : state
      const who = chat.agent?.name || chat.virtual_agent?.name
      text = shown === 'connected' ? (who ? `${who} · ${this.t('online')}` : this.t('online')) : this.t(shown)
    }
    this.header.dataset.conn = shown
    this.connEl.textContent = text
  }

  async finish () {
    try { await this.client.finishChat() } catch (err) { this.toast(err) }
  }

  showDismissed () {
    if (!this.body) return
    const chat = this.state.chat
    const resume = btn(this.t('resume'), async () => {
      try { this.state.chat = await this.client.resumeChat(chat.id); this.renderChat(); await this.loadHistory() } catch (err) { this.renderError(err) }
    }, 'primary')
    this.body.replaceChildren(el('div', { class: 'center' }, el('p', { role: 'status' }, this.t('paused')), resume))
  }

  /** showEnd is the end screen: the rating, the survey and the transcript in one place. */
  async showEnd (text) {
    if (this.state.view === 'end') return
    this.state.view = 'end'
    this.setConn(this.conn)
    this.log = null
    const deflected = this.state.chat?.status === 'deflected'
    const head = el('div', { class: 'end-head' }, el('span', { class: 'done', 'aria-hidden': 'true' }, icon('check')),
      el('h3', { role: 'status' }, deflected ? (this.state.emailSent ? this.t('emailThanks') : this.t('continues')) : text))
    const survey = el('div', { class: 'survey' })
    const again = btn(this.t('newChat'), () => { this.state.chat = null; this.applyLang(); this.start(this.startOptions) }, 'new-chat')
    const parts = deflected ? [head, this.renderTranscripts(), again] : [head, this.renderRating(), survey, this.renderTranscripts(), again]
    this.body.replaceChildren(el('div', { class: 'end' }, ...parts))
    if (!deflected) {
      try { survey.replaceChildren(this.renderSurvey(await this.client.getChatSurvey())) } catch {}
    }
    this.emit('ended', this.state.chat)
  }

  renderSurvey (s) {
    if (!s?.questions?.length) return el('span')
    const form = el('form', { class: 'survey-form section' }, el('h3', {}, this.t('survey')))
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
    form.append(el('button', { type: 'submit', class: 'primary' }, this.t('sendAnswers')))
    form.addEventListener('submit', async (e) => {
      e.preventDefault()
      const answers = {}
      for (const [q, input] of fields) {
        if (input.value === '') continue
        answers[q.id] = input.type === 'number' ? Number(input.value) : input.value
      }
      try {
        await this.client.sendChatSurvey(answers)
        form.replaceChildren(el('p', { role: 'status', class: 'thanks' }, s.sign_off_display_text || this.t('thanks')))
        this.emit('survey', answers)
      } catch (err) { this.toast(err) }
    })
    return form
  }

  renderRating () {
    const box = el('form', { class: 'rating section' }, el('h3', {}, this.t('rate')))
    const stars = el('div', { class: 'stars', role: 'radiogroup', 'aria-label': this.t('rating') })
    let rating = 0
    for (let i = 1; i <= 5; i++) {
      const r = el('input', { type: 'radio', name: 'rating', value: String(i), id: `star${i}`, 'aria-label': this.t('star', i) })
      r.addEventListener('change', () => { rating = i; stars.dataset.value = String(i) })
      stars.append(r, el('label', { for: `star${i}`, 'aria-hidden': 'true' }, '★'))
    }
    const feedback = el('textarea', { rows: '2', 'aria-label': this.t('feedback'), placeholder: this.t('feedback') })
    box.append(stars, feedback, el('button', { type: 'submit', class: 'primary' }, this.t('sendRating')))
    box.addEventListener('submit', async (e) => {
      e.preventDefault()
      if (!rating) return this.toast(this.t('pickRating'))
      try {
        await this.client.sendChatRate({ rating, feedback: feedback.value || undefined })
        box.replaceChildren(el('p', { role: 'status', class: 'thanks' }, this.t('rated')))
        this.emit('rated', rating)
      } catch (err) { this.toast(err) }
    })
    return box
  }

  renderTranscripts () {
    const email = el('input', { type: 'email', 'aria-label': this.t('transcriptEmail'), placeholder: 'you@example.com' })
    const form = el('form', { class: 'transcript section' }, el('h3', {}, this.t('transcript')),
      el('div', { class: 'row' }, email, el('button', { type: 'submit' }, this.t('emailIt'))))
    form.addEventListener('submit', async (e) => {
      e.preventDefault()
      if (!email.value) return
      try { await this.client.sendChatTranscripts([email.value]); this.toast(this.t('transcriptSent')) } catch (err) { this.toast(err) }
    })
    form.append(btn(this.t('pdf'), () => this.downloadPdf(), 'ghost'))
    return form
  }

  async downloadPdf () {
    try {
      const { chat_transcript_id: id } = await this.client.downloadChatTranscript()
      for (let i = 0; i < 30; i++) {
        const resp = await this.client.getPdfStatus(id)
        const status = resp.headers['x-transcript-status'] || resp.data?.status
        if (status === 'ready' && resp.data?.body) {
          el('a', { href: this.objectURL(resp.data.body), download: `chat-${this.state.chat?.id}.pdf` }).click()
          return
        }
        if (status === 'failed') throw new Error(resp.data?.failed_reason || 'transcript failed')
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
      throw new Error(this.t('notReady'))
    } catch (err) { this.toast(err) }
  }

  toast (errOrText) {
    if (!this.root) return
    const text = typeof errOrText === 'string' ? errOrText : (errOrText?.message || String(errOrText))
    const t = el('p', { class: 'toast', role: 'alert' }, text)
    this.panel.append(t)
    const timer = setTimeout(() => t.remove(), 5000)
    this.cleanups.push(() => clearTimeout(timer))
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

function btn (label, onClick, cls) {
  const b = el('button', { type: 'button' }, label)
  if (cls) b.className = cls
  b.addEventListener('click', onClick)
  return b
}

/** icon is one of ICONS as an inline SVG element (built through the DOM, so CSP-safe). */
function icon (name) {
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('class', `i i-${name}`)
  const p = document.createElementNS(SVG, 'path')
  p.setAttribute('d', ICONS[name])
  svg.append(p)
  return svg
}

function initials (name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean)
  return ((words[0]?.[0] || '?') + (words.length > 1 ? words[words.length - 1][0] : '')).toUpperCase()
}

function fmtTime (ms, lang) {
  try { return new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' }).format(ms) } catch { return '' }
}

function fmtSize (n) {
  if (!(n > 0)) return ''
  return n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`
}

function hostOf (u) {
  try { return new URL(u).host } catch { return u }
}

// onColor is black or white, whichever reads better on the brand colour #rgb/#rrggbb.
function onColor (c) {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(c).trim())
  if (!m) return ''
  const h = m[1].length === 3 ? [...m[1]].map((x) => x + x).join('') : m[1]
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(h.slice(i, i + 2), 16) / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? '#111418' : '#ffffff'
}

// safeURL lets through only http(s) links, so content can't smuggle javascript: URLs.
function safeURL (u) {
  try {
    const url = new URL(u, document.baseURI)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : 'about:blank'
  } catch { return 'about:blank' }
}

function notiText (m, w) {
  const who = m.user_name || w.t('someone')
  switch (m.event) {
    case 'escalationStarted': return w.t('lookingForAgent')
    case 'escalationAccepted': return w.t('agentJoined')
    // The platform says why (its after-hours message, or that no agent is
    // online); the machine-readable option list after it is for the buttons.
    case 'escalationDeflected': return (m.content || '').split(' Options:')[0] || w.t('noAgent')
    case 'memberJoined': return w.t('joined', who)
    case 'memberLeft': return w.t('left', who)
    case 'chatEnded': return w.t('ended')
    case 'chatDismissed': return w.t('chatPaused')
    case 'chatResumed': return w.t('resumed')
    case 'formRequested': return w.t('formAsked')
    case 'formCompleted': return w.t('formDone')
    default: return m.content || m.event || 'notice'
  }
}

// Auto-start from the script tag's data attributes (in a browser only:
// importing the module elsewhere, as under SSR, has no effect).
const tag = typeof document !== 'undefined' && [...document.querySelectorAll('script[type="module"][src]')].find((s) => s.src === import.meta.url && s.dataset.companyId)
if (tag) {
  const d = tag.dataset
  const w = new Widget({
    companyId: d.companyId,
    tenant: d.tenant,
    host: d.host || new URL(import.meta.url).origin,
    bridge: d.bridge,
    tokenUrl: d.tokenUrl,
    menuKey: d.menuKey,
    lang: d.lang || 'en',
    title: d.title,
    sdkBase: d.sdkBase,
    brandColor: d.brandColor,
    radius: d.radius,
    font: d.font,
    position: d.position,
    launcherLabel: d.launcherLabel,
    theme: d.theme
  })
  w.mount(d.mount || undefined)
  globalThis.ccaipWidget = w
}
