// forged.js: messages forged by a page on another origin are ignored. The
// evil page (a third origin) is framed here; it posts fake hellos and
// connects to this page and to the bridge, and frames the bridge itself
// while claiming to be this page.
import { run, newClient, check, evilOrigin, until } from './lib.js'

run(async () => {
  const evilReports = []
  window.addEventListener('message', (e) => {
    if (e.origin === evilOrigin && e.data && e.data.type === 'evil-report') evilReports.push(e.data)
  })
  const evil = document.createElement('iframe')
  evil.src = `${evilOrigin}/evil.html#site=${encodeURIComponent(location.origin)}&bridge=${encodeURIComponent(new URL(new URLSearchParams(location.search).get('host')).origin)}`
  document.body.appendChild(evil)
  await new Promise((resolve) => evil.addEventListener('load', resolve))
  // The client shakes hands with its bridge while the evil page floods.
  const client = newClient('forged-user')
  const company = await client.getCompany()
  await until(() => evilReports.length > 0, 'the evil page report')
  const report = evilReports[0]
  check(report.portMessages === 0, `the evil page's ports got ${report.portMessages} messages`)
  check(report.hellos === 0, `the bridge said hello to the evil page ${report.hellos} times`)
  const stats = client.__debugStats()
  check(stats.rejectedMessages >= 1, `forged messages counted: ${stats.rejectedMessages}`)
  // Still working after the attack.
  const again = await client.getCompany()
  check(again.name === company.name, 'client works after forged messages')
  await client.destroy()
  return { rejected: stats.rejectedMessages, report }
})
