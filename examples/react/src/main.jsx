import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.jsx'

// The page's own origin serves its configuration (public/config.json): the
// company, the platform's URL and the endpoint of your backend that signs
// the end user's JWT. Nothing in the page's URL can change them.
async function main() {
  const config = await (await fetch('./config.json')).json()
  const options = {
    companyId: config.companyId,
    tenant: config.tenant,
    host: config.host,
    authenticate: async () => {
      const res = await fetch(config.tokenUrl, { method: 'POST', credentials: 'same-origin' })
      if (!res.ok) throw new Error(`token endpoint answered ${res.status}`)
      return res.json() // {token}
    },
  }
  createRoot(document.getElementById('root')).render(<StrictMode><App options={options} /></StrictMode>)
}

main()
