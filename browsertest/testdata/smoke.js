import { run, newClient, check, shape, checkCore } from './lib.js'

run(async () => {
  const client = newClient('smoke-user')
  // Called at once, before the wasm is ready: the call queues.
  const company = await client.getCompany()
  shape(company, { name: 'string', subdomain: 'string', support_email: 'string', languages: 'array' }, 'company')
  check(company.subdomain === 'demo', 'demo company')
  const diagnostics = checkCore(client)
  await client.destroy()
  return { name: company.name, diagnostics }
})
