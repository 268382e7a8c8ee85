import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.jsx'

// The platform and the token endpoint (your backend, which signs the end
// user's JWT) come from the query so the same build runs against the demo
// and the tests: ?host=http://localhost:8080&token=/my/token
const q = new URLSearchParams(location.search)
const options = {
  companyId: 'demo',
  tenant: 'demo',
  host: q.get('host') || 'http://localhost:8080',
  authenticate: async () => {
    const res = await fetch(q.get('token') || '/token')
    if (!res.ok) throw new Error(`token endpoint answered ${res.status}`)
    return res.json() // {token}
  },
}

createRoot(document.getElementById('root')).render(<StrictMode><App options={options} /></StrictMode>)
