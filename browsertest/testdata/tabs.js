// tabs.js: one tab of several on one site, driven by the Go test
// (tabs_test.go) through window.__client. It records every chat.message
// ({i: $index, c: content, u: $userType}) and every chat event name this
// tab's listeners got. hang=1 makes authenticate() never answer.
import { newClient, params } from './lib.js'

window.__msgs = []
window.__events = []
window.__ready = false
const extra = {}
if (params.get('hang') === '1') extra.authenticate = () => new Promise(() => {})
const client = newClient(params.get('user'), extra)
window.__client = client
client.on('chat.message', (m) => window.__msgs.push({ i: m.$index, c: m.content, u: m.$userType }))
for (const ev of ['chat.connected', 'chat.ongoing', 'chat.ended', 'chat.restored']) {
  client.on(ev, () => window.__events.push(ev))
}
if (params.get('hang') !== '1') {
  client.getCompany().then(() => { window.__ready = true }, (err) => { window.__startError = err.code + ': ' + err.message })
}
