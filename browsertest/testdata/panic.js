import { run, newClient, check, shape, rejects } from './lib.js'

run(async () => {
  const client = newClient('panic-user')
  const before = await client.getCompany()
  const err = await rejects(client.__debugCall('debug.panic'), 'panic', 'debug.panic')
  check(/internal error/.test(err.message), `panic message: ${err.message}`)
  // The runtime survived: more calls work, and more panics are contained.
  await rejects(client.__debugCall('debug.panic'), 'panic', 'second debug.panic')
  const after = await client.getCompany()
  shape(after, { name: 'string' }, 'company after panic')
  check(after.name === before.name, 'same company')
  await rejects(client.__debugCall('no.such.method'), 'bad_request', 'unknown method')
  await client.destroy()
  return { code: err.code }
})
