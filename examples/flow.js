// flow.js: the chat round trip every example app runs against the platform
// named by ?host= (menus → create chat → send → the virtual agent answers →
// finish), recording the outcome on window.__outcome for the browser test
// (browsertest/consumers_test.go). Each app passes the Client it imported
// from @ccaip/headless, so the package goes through that app's bundler.

export function roundTrip(Client) {
  const q = new URLSearchParams(location.search)
  window.__outcome = { done: false, error: '', result: null }
  const fail = (err) => { window.__outcome = { done: true, error: String(err && err.stack || err), result: null } }
  window.addEventListener('unhandledrejection', (e) => fail(e.reason))
  document.addEventListener('securitypolicyviolation', (e) => fail(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`))
  run(Client, q.get('host'), q.get('user') || 'example-' + Date.now(), q.get('sdkBase')).then(
    (result) => { if (!window.__outcome.error) window.__outcome = { done: true, error: '', result } },
    fail,
  )
}

async function run(Client, host, user, sdkBase) {
  const client = new Client({
    companyId: 'demo', tenant: 'demo', host,
    authenticate: async () => (await fetch('/token?identifier=' + encodeURIComponent(user))).json(),
    ...(sdkBase ? { sdkBase } : {}), // ?sdkBase=/cdn/: the SDK's files from elsewhere, as from a CDN
  })
  const messages = []
  client.on('chat.message', (m) => messages.push(m))
  const until = async (what, cond, ms = 15000) => {
    for (const end = Date.now() + ms; !cond(); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > end) throw new Error('timed out waiting for ' + what)
    }
  }
  const { menus } = await client.getMenus()
  const menu = menus.flatMap((m) => m.children || []).find((c) => c.channels.includes('chat'))
  if (!menu) throw new Error('no menu offers chat')
  const connected = new Promise((resolve) => client.once('chat.connected', resolve))
  const chat = await client.createChat(menu.id, { lang: 'en' })
  await connected
  await client.sendTextMessage('hello from a bundled app')
  await until('the echo', () => messages.some((m) => m.$userType === 'end_user' && m.content === 'hello from a bundled app'))
  await until('the virtual agent', () => messages.some((m) => m.$userType === 'virtual_agent'))
  const ended = new Promise((resolve) => client.once('chat.ended', resolve))
  await client.finishChat()
  const end = await ended
  await client.destroy()
  return { chatId: chat.id, status: end.status, messages: messages.length }
}
