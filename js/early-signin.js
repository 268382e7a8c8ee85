// early-signin.js: the first sign-in, started before the Go core asks for
// it. Wherever the core runs, its host (loader.js for a core in the page,
// core-worker.js for one in a worker) calls authenticate() and exchanges
// the token for a session while the wasm still downloads and compiles;
// the core's first authenticate and session requests then find their
// answers waiting. One module for both hosts: the loader ships it beside
// itself, the platform serves it at /bridge/ beside core-worker.js.

/**
 * earlySignIn starts the exchange of token (a Promise of the end-user JWT)
 * for a session once after (a Promise) has settled, through exchange(body)
 * (body: the TokenRequest JSON). It returns the two answers the core's
 * first requests take: takeToken() the token, once; takeSession(body) the
 * early exchange when the core asks for the same company, tenant and
 * token, once, else null (after the early exchange has ended, so that the
 * session kept is the core's own).
 */
export function earlySignIn({ token, companyId, tenant, exchange, after = Promise.resolve() }) {
  const body = token.then((t) => {
    const req = { company_id: String(companyId), token: t }
    if (tenant) req.tenant = String(tenant)
    return req
  })
  let session = Promise.all([after, body]).then(([, req]) => exchange(JSON.stringify(req)))
  let first = token
  // Unused answers (destroy before the core asks) must not surface as
  // unhandled rejections.
  token.catch(() => {})
  session.catch(() => {})
  return {
    takeToken() {
      const t = first
      first = null
      return t
    },
    async takeSession(requestBody) {
      const s = session
      if (!s) return null
      session = null
      let same = false
      try {
        const mine = await body
        const theirs = JSON.parse(requestBody)
        same = mine.token === theirs.token && mine.company_id === theirs.company_id && (mine.tenant || '') === (theirs.tenant || '')
      } catch {}
      if (same) return s
      await s.catch(() => {})
      return null
    },
  }
}
