// broken-loader.js: the parity kit's own test fixture, a loader that is
// wrong in exactly three ways, which the kit must report and nothing else:
//   1. a wrong field: getWaitTimes() resolves chat as a string;
//   2. a null: getCompany() resolves languages as null;
//   3. a missing event: chat.ended is never delivered.
// It wraps our loader (served by the kit at /sdk/loader.js).
import { Client as Real, ClientError, PostSessionStatus } from '/sdk/loader.js'

export { ClientError, PostSessionStatus }

export class Client extends Real {
  async getWaitTimes(...args) {
    const r = await super.getWaitTimes(...args)
    return { ...r, chat: String(r.chat) }
  }

  async getCompany() {
    const r = await super.getCompany()
    return { ...r, languages: null }
  }

  on(event, fn) {
    if (event === 'chat.ended') return () => {}
    return super.on(event, fn)
  }
}
