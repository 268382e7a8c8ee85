// runner.js: calls every documented example of the headless web SDK
// (000, and the older call forms of 001) on the loader under test, and
// checks each result and each event payload against the declarations of
// js/index.d.ts (schema.json, see schema.mjs). The Go driver (parity/)
// serves this page, points it at a loader and a platform, and collects
// window.__parity = {done, error, results: [{name, kind, target, status,
// errors, shape}]}.
//
// status: pass (conforms), fail (does not, errors say where), skipped
// (an event nothing here provokes on this platform).
import { check, shape } from './check.js'

const q = new URLSearchParams(location.search)
const out = { done: false, error: '', results: [] }
window.__parity = out

// local=1: the platform is the kit's own, which lets the page play an
// agent and move the platform's clock (control()), so that events only an
// agent or time provoke are checked too.
const local = q.get('local') === '1'
// Events the examples provoke; others are recorded when they happen and
// reported skipped otherwise.
const PROVOKED = ['ready', 'chat.updated', 'chat.connected', 'chat.message', 'chat.ended', 'chat.destroyed', 'chat.ongoing',
  ...(local ? ['chat.memberJoined', 'chat.dismissed', 'chat.timeout', 'cobrowse.ended'] : [])]
const EVENT_TIMEOUT = Number(q.get('eventTimeout') || 15000)
// strict=1: what index.d.ts tags @extension is required too.
const strict = q.get('strict') === '1'

// control asks the kit's local platform to act: {do: 'advance', seconds}
// moves its clock; {do: 'accept' | 'say', chat} plays agent 1;
// {do: 'end-cobrowse', id} ends a screen-share session.
async function control(body) {
  const r = await fetch('local', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  if (!r.ok) throw new Error(`local ${body.do}: HTTP ${r.status} ${await r.text()}`)
}

function record(r) {
  out.results.push(r)
  const line = `${r.status.padEnd(7)} ${r.name}${r.errors.length ? ' — ' + r.errors.map((e) => `${e.path}: expected ${e.expected}, got ${e.got}`).join('; ') : ''}`
  console.log(line)
}

function safeShape(v) {
  try { return shape(v) } catch { return { '(value)': 'unreadable' } }
}

async function main() {
  const schema = await (await fetch('schema.json')).json()
  const { Client, PostSessionStatus } = await import(q.get('loader'))
  const identifier = q.get('user') || `parity-${Date.now()}`
  const newClient = () => new Client({
    companyId: q.get('company') || 'demo',
    tenant: q.get('tenant') || undefined,
    host: q.get('host'),
    authenticate: async () => {
      const r = await fetch('token?identifier=' + encodeURIComponent(identifier))
      if (!r.ok) throw new Error('token: HTTP ' + r.status)
      return r.json()
    },
  })

  // Every event the declarations name is listened to from the start, on
  // each client the page makes.
  const seen = {} // event → {count, errors, shape}
  const waiters = []
  const listen = (c) => {
    for (const name of Object.keys(schema.events)) {
      c.on(name, (payload) => {
        const s = seen[name] || (seen[name] = { count: 0, errors: [], shape: null })
        s.count++
        if (s.errors.length === 0) {
          const t = schema.events[name]
          s.errors = t.ext && !strict && payload === undefined ? [] : check(schema, t, payload, { strict })
          s.shape = safeShape(payload)
        }
        for (const w of waiters) if (w.name === name && w.pred(payload)) w.resolve(payload)
      })
    }
    return c
  }
  let client = listen(newClient())
  // reload stands for a page reload: the client goes, a new one on the
  // same storage comes.
  const reload = async () => {
    await client.destroy()
    client = listen(newClient())
  }
  const waitEvent = (name, pred = () => true) => new Promise((resolve) => {
    const w = { name, pred, resolve }
    waiters.push(w)
    setTimeout(() => resolve(undefined), EVENT_TIMEOUT)
  })

  // example runs one documented call and checks its result against the
  // declared return type of method.
  async function example(name, method, call) {
    const t = schema.methods[method]
    let value
    try {
      value = await call()
    } catch (err) {
      record({ name, kind: 'method', target: method, status: 'fail', errors: [{ path: '(call)', expected: 'resolves', got: `rejected ${err && err.code || ''} ${err && err.message || err}`.trim() }], shape: {} })
      return undefined
    }
    const errors = t ? check(schema, t, value, { strict }) : [{ path: '(declaration)', expected: `${method} in index.d.ts`, got: 'missing' }]
    record({ name, kind: 'method', target: method, status: errors.length ? 'fail' : 'pass', errors, shape: safeShape(value) })
    return value
  }

  // Before any chat: the documented soft failures resolve (fetchMessages
  // [] on error, loadOngoingChat null, sendFileMessage -1), and a new end
  // user's history is empty, not null.
  await example('loadOngoingChat() (nothing stored)', 'loadOngoingChat', () => client.loadOngoingChat())
  await example('fetchMessages() (no chat)', 'fetchMessages', () => client.fetchMessages())
  await example('sendFileMessage(file) (no chat)', 'sendFileMessage', () => client.sendFileMessage(new File(['x'], 'x.txt', { type: 'text/plain' })))
  await example('getChatHistory(1) (no chat yet)', 'getChatHistory', () => client.getChatHistory(1))
  // The kit's page URL says "pricing", which the local platform's demo
  // company has a trigger for: getTrigger() and runTrigger's callback get
  // a TriggerItem there (elsewhere maybe null, which is as documented).
  await example('getTrigger()', 'getTrigger', () => client.getTrigger())
  let triggered
  const fired = new Promise((resolve) => { triggered = resolve })
  await example('runTrigger((trigger) => {})', 'runTrigger', () => client.runTrigger((trigger) => triggered(trigger)))
  const trigger = await Promise.race([fired, new Promise((resolve) => setTimeout(() => resolve(undefined), 2000))])
  if (trigger !== undefined) {
    const errors = check(schema, { k: 'ref', name: 'TriggerItem' }, trigger, { strict })
    record({ name: 'runTrigger callback (trigger)', kind: 'callback', target: 'runTrigger', status: errors.length ? 'fail' : 'pass', errors, shape: safeShape(trigger) })
  }
  await example('getCompany()', 'getCompany', () => client.getCompany())
  await example('getAfterHourMessage()', 'getAfterHourMessage', () => client.getAfterHourMessage())
  await example('getMenus("direct_menu_key")', 'getMenus', () => client.getMenus('direct_menu_key'))
  const menus = await example('getMenus()', 'getMenus', () => client.getMenus())
  let menuId = Number(q.get('menu') || 0)
  if (!menuId && menus) {
    const first = (items) => {
      for (const m of items || []) {
        if (m.channels && m.channels.includes('chat')) return m
        const c = first(m.children)
        if (c) return c
      }
      return null
    }
    const m = first(menus.menus)
    menuId = m ? m.id : 0
  }
  await example(`getWaitTimes(${menuId})`, 'getWaitTimes', () => client.getWaitTimes(menuId))
  await example(`getTimeSlots(${menuId})`, 'getTimeSlots', () => client.getTimeSlots(menuId))
  await example('getProhibitedFileTypes()', 'getProhibitedFileTypes', () => client.getProhibitedFileTypes())

  const call = await example(`createCall(${menuId}, {phone_number})`, 'createCall', () => client.createCall(menuId, { phone_number: '+12345678' }))
  if (call) {
    await example('loadCall(id)', 'loadCall', () => client.loadCall(call.id))
    await example('cancelCall(id)', 'cancelCall', () => client.cancelCall(call.id))
  }
  const older = await example('createCall({menu_id, lang, phone_number}) (001)', 'createCall', () => client.createCall({ menu_id: menuId, lang: 'en', phone_number: '+12345678' }))
  if (older) await client.cancelCall(older.id).catch(() => {})

  await example(`createEmail(${menuId}, {…})`, 'createEmail', () => client.createEmail(menuId, { lang: 'en', name: 'User name', email: 'name@example.com', content: 'description of the question', files: [] }))
  await example('createEmail({menu_id, …}) (001)', 'createEmail', () => client.createEmail({ menu_id: menuId, lang: 'en', name: 'User name', email: 'name@example.com', content: 'description of the question' }))

  // A chat with the virtual agent.
  const connected = waitEvent('chat.connected')
  const chat = await example(`createChat(${menuId}, {lang: 'en'})`, 'createChat', () => client.createChat(menuId, { lang: 'en' }))
  await connected
  if (chat) {
    await example('loadChat(id)', 'loadChat', () => client.loadChat(chat.id))
    await example('loadOngoingChat()', 'loadOngoingChat', () => client.loadOngoingChat())
    await example('sendTextMessage("hello world")', 'sendTextMessage', () => client.sendTextMessage('hello world'))
    await example('sendPreviewMessage("preview content")', 'sendPreviewMessage', () => client.sendPreviewMessage('preview content'))
    await example('sendFileMessage(file)', 'sendFileMessage', () => client.sendFileMessage(new File(['%PDF-1.4 parity'], 'note.pdf', { type: 'application/pdf' })))
    const messages = await example('fetchMessages()', 'fetchMessages', () => client.fetchMessages())
    const withFile = (messages || []).find((m) => m.media_id || m.file_info || m.file)
    if (withFile) await example('getMessageAttachment(message)', 'getMessageAttachment', () => client.getMessageAttachment(withFile))
    await example('getChatDeflection()', 'getChatDeflection', () => client.getChatDeflection())
    await example('createCobrowseCode()', 'createCobrowseCode', () => client.createCobrowseCode())
    const loaded = waitEvent('cobrowse.loaded')
    await example('startCobrowse()', 'startCobrowse', () => client.startCobrowse())
    if (local) {
      // The platform's side ends the session (the REST API).
      const session = await loaded
      if (session && session.id) {
        const endedCobrowse = waitEvent('cobrowse.ended')
        await control({ do: 'end-cobrowse', id: session.id })
        await endedCobrowse
      }
    }
    await example('updatePostSession(PostSessionStatus.READY)', 'updatePostSession', () => client.updatePostSession((PostSessionStatus && PostSessionStatus.READY) || 'ready'))
    await example('trackChatEndUserEvent(eventData)', 'trackChatEndUserEvent', () => client.trackChatEndUserEvent({ end_user_name: 'User name' }))
    const escalated = waitEvent('chat.updated', (c) => c && c.escalation_id)
    await example('escalateChat()', 'escalateChat', () => client.escalateChat())
    const esc = await escalated
    if (esc) await example('trackChatEscalation(escalationId, channel)', 'trackChatEscalation', () => client.trackChatEscalation(esc.escalation_id, 'keep_waiting'))
    if (local) {
      const joined = waitEvent('chat.memberJoined', (m) => m && m.type === 'agent')
      await control({ do: 'accept', chat: chat.id })
      await joined
      const said = waitEvent('chat.message', (m) => m && m.$userType === 'agent')
      await control({ do: 'say', chat: chat.id })
      await said
    }
    // A reload mid-chat: the new client restores the chat.
    await reload()
    await example('loadOngoingChat() (after a reload)', 'loadOngoingChat', () => client.loadOngoingChat())
    const ended = waitEvent('chat.ended')
    await example('finishChat()', 'finishChat', () => client.finishChat())
    await ended
    const survey = await example('getChatSurvey()', 'getChatSurvey', () => client.getChatSurvey())
    if (survey && Array.isArray(survey.questions)) {
      const answers = {}
      for (const qn of survey.questions) {
        const va = qn.valid_answers && qn.valid_answers[0]
        answers[qn.id] = va ? (Number.isNaN(Number(va.key)) ? va.key : Number(va.key)) : 'fine'
      }
      await example('sendChatSurvey(answers)', 'sendChatSurvey', () => client.sendChatSurvey(answers))
    }
    await example('sendChatRate({rating: 5, feedback})', 'sendChatRate', () => client.sendChatRate({ rating: 5, feedback: 'Very good service' }))
    await example('sendChatTranscripts([emails])', 'sendChatTranscripts', () => client.sendChatTranscripts(['name1@example.com', 'name2@example.com']))
    const tr = await example('downloadChatTranscript()', 'downloadChatTranscript', () => client.downloadChatTranscript())
    // Polled as documented ("check header for status") until the PDF is
    // ready, so that two runs compare the same state.
    if (tr) {
      await example('getPdfStatus(id)', 'getPdfStatus', async () => {
        for (let i = 0; ; i++) {
          const resp = await client.getPdfStatus(tr.chat_transcript_id)
          const status = resp && resp.headers && resp.headers['x-transcript-status']
          if (status !== 'pending' || i >= 50) return resp
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      })
    }
  }
  await example('getChatHistory(1)', 'getChatHistory', () => client.getChatHistory(1))
  // A reload after the chat is over: nothing to restore.
  await reload()
  await example('loadOngoingChat() (the chat is over)', 'loadOngoingChat', () => client.loadOngoingChat())

  if (local) {
    // A chat the platform dismisses for the end user's silence, resumed,
    // then timed out: the platform's clock moves past both limits.
    const connected3 = waitEvent('chat.connected')
    const third = await client.createChat(menuId, { lang: 'en' }).catch(() => null)
    await connected3
    if (third) {
      const dismissed = waitEvent('chat.dismissed')
      await control({ do: 'advance', seconds: 700 })
      await dismissed
      await example('resumeChat(chatId)', 'resumeChat', () => client.resumeChat(third.id))
      const timedOut = waitEvent('chat.timeout')
      await control({ do: 'advance', seconds: 7300 })
      await timedOut
    }
  }

  // The older createChat form, then destroyChat.
  const second = await example('createChat({menu_id, lang}) (001)', 'createChat', () => client.createChat({ menu_id: menuId, lang: 'en' }))
  if (second) {
    const destroyed = waitEvent('chat.destroyed')
    await example('destroyChat()', 'destroyChat', () => client.destroyChat())
    await destroyed
  }

  for (const name of Object.keys(schema.events)) {
    const s = seen[name]
    if (!s) {
      const provoked = PROVOKED.includes(name)
      record({ name: `event ${name}`, kind: 'event', target: name, status: provoked ? 'fail' : 'skipped', errors: provoked ? [{ path: '(event)', expected: 'delivered', got: 'never delivered' }] : [], shape: {} })
      continue
    }
    record({ name: `event ${name}`, kind: 'event', target: name, status: s.errors.length ? 'fail' : 'pass', errors: s.errors, shape: s.shape || {} })
  }
  await client.destroy()
}

main().then(() => { out.done = true }, (err) => {
  out.error = String(err && err.stack || err)
  out.done = true
})
