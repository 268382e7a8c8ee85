// check.js: checks a live value against a type of the schema that
// schema.mjs extracts from js/index.d.ts, field by field. Runs in the
// browser, on the values themselves (Date and File are checked as such).
//
//   check(schema, type, value, {strict}) → [{path, expected, got}]   ([] when it conforms)
//   shape(value) → {path: js type}                         (for diffs of two loaders)
//
// Rules: a required field must be present (not undefined); an optional one
// is checked when present; null passes only where the type includes null;
// fields beyond the declared ones are allowed (additions are compatible);
// a field tagged @extension (this SDK's addition to the documents) may be
// absent unless strict, and is checked when present.

const MAX_ITEMS = 20
const MAX_DEPTH = 8

export function describe(schema, t) {
  switch (t.k) {
    case 'ref': return t.name
    case 'lit': return JSON.stringify(t.v)
    case 'array': return `${describe(schema, t.of)}[]`
    case 'union': return t.of.map((x) => describe(schema, x)).join(' | ')
    case 'object': return '{…}'
    default: return t.k
  }
}

export function got(v) {
  if (v === undefined) return 'missing'
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (v instanceof Date) return 'Date'
  if (typeof File !== 'undefined' && v instanceof File) return 'File'
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${v}`
  return typeof v
}

// fields collects an object type's fields, those of the interfaces it
// extends included.
function fields(schema, t, seen = new Set()) {
  const out = {}
  for (const name of t.extends || []) {
    if (seen.has(name)) continue
    seen.add(name)
    const base = schema.types[name]
    if (base && base.k === 'object') Object.assign(out, fields(schema, base, seen))
  }
  return Object.assign(out, t.fields)
}

export function check(schema, t, v, opts = {}) {
  const errs = []
  walk(schema, t, v, '', 0, errs, !!opts.strict)
  return errs
}

function walk(schema, t, v, path, depth, errs, strict) {
  if (depth > MAX_DEPTH) return
  const fail = () => errs.push({ path: path || '(value)', expected: describe(schema, t), got: got(v) })
  switch (t.k) {
    case 'any': return
    case 'void':
    case 'undefined': if (v !== undefined) fail(); return
    case 'null': if (v !== null) fail(); return
    case 'string': if (typeof v !== 'string') fail(); return
    case 'number': if (typeof v !== 'number' || !Number.isFinite(v)) fail(); return
    case 'boolean': if (typeof v !== 'boolean') fail(); return
    case 'lit': if (v !== t.v) fail(); return
    case 'Date': if (!(v instanceof Date) || Number.isNaN(v.getTime())) fail(); return
    case 'File':
    case 'Blob': if (typeof Blob === 'undefined' || !(v instanceof Blob)) fail(); return
    case 'ref': {
      const r = schema.types[t.name]
      if (!r) return // a type the schema does not describe (e.g. a typeof query)
      const before = errs.length
      walk(schema, r, v, path, depth + 1, errs, strict)
      // Report a wholesale mismatch by the interface's name.
      if (errs.length > before && errs[before].path === (path || '(value)') && r.k !== 'union') {
        errs.splice(before, errs.length - before, { path: path || '(value)', expected: t.name, got: got(v) })
      }
      return
    }
    case 'array':
      if (!Array.isArray(v)) { fail(); return }
      v.slice(0, MAX_ITEMS).forEach((x, i) => walk(schema, t.of, x, `${path}[${i}]`, depth + 1, errs, strict))
      return
    case 'union': {
      let best = null
      for (const m of t.of) {
        const e = []
        walk(schema, m, v, path, depth + 1, e, strict)
        if (e.length === 0) return
        if (!best || e.length < best.length) best = e
      }
      // A value of the wrong kind altogether: say what the union allows.
      if (best.length === 1 && best[0].path === (path || '(value)')) fail()
      else errs.push(...best)
      return
    }
    case 'object': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) { fail(); return }
      const fs = fields(schema, t)
      for (const [name, f] of Object.entries(fs)) {
        const x = v[name]
        const p = path ? `${path}.${name}` : name
        if (x === undefined) {
          if (!f.optional && (strict || !f.extension)) errs.push({ path: p, expected: describe(schema, f.t), got: 'missing' })
          continue
        }
        walk(schema, f.t, x, p, depth + 1, errs, strict)
      }
      if (t.index) {
        for (const [name, x] of Object.entries(v)) {
          if (!(name in fs)) walk(schema, t.index, x, path ? `${path}.${name}` : name, depth + 1, errs, strict)
        }
      }
      return
    }
  }
}

// shape flattens a value into {path: kind} (first array item only), so two
// loaders' results can be compared field by field.
export function shape(v, path = '', out = {}, depth = 0) {
  const kind = v === null ? 'null' : Array.isArray(v) ? 'array' : v instanceof Date ? 'Date'
    : (typeof Blob !== 'undefined' && v instanceof Blob) ? 'File' : typeof v
  out[path || '(value)'] = kind
  if (depth > 5) return out
  if (kind === 'array' && v.length > 0) shape(v[0], `${path}[0]`, out, depth + 1)
  if (kind === 'object') for (const k of Object.keys(v).sort()) shape(v[k], path ? `${path}.${k}` : k, out, depth + 1)
  return out
}
