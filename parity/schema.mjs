// schema.mjs: the documented interfaces, read from js/index.d.ts with the
// TypeScript compiler API at run time, as JSON on stdout. The parity kit
// checks every result and event payload against it, so the declarations
// stay the one description of the API (no second, hand-kept copy).
//
//   node parity/schema.mjs js/index.d.ts > schema.json
//
// Output: {types: {Name: Type}, methods: {name: Type}, events: {name: Type}}
// where Type is one of
//   {k: 'string'|'number'|'boolean'|'null'|'undefined'|'any'|'void'|'Date'|'File'|'Blob'}
//   {k: 'lit', v}            a literal type
//   {k: 'ref', name}         a named interface, class or alias in types
//   {k: 'array', of}         T[]
//   {k: 'union', of: [...]}  A | B
//   {k: 'object', fields: {name: {t, optional, extension?}}, index?: Type, extends?: [names]}
// extension marks a field tagged @extension in index.d.ts (this SDK's
// addition to the documents); an event's payload type so tagged has ext.
// methods holds the resolved type of each Client method's Promise (its
// first overload), events the payload type of each ClientEvents key.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(resolve(here, '..', 'package.json'))
const ts = require('typescript')

const file = process.argv[2] || resolve(here, '..', 'js', 'index.d.ts')
const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)

const K = ts.SyntaxKind
const keyword = {
  [K.StringKeyword]: 'string', [K.NumberKeyword]: 'number', [K.BooleanKeyword]: 'boolean',
  [K.AnyKeyword]: 'any', [K.UnknownKeyword]: 'any', [K.VoidKeyword]: 'void',
  [K.UndefinedKeyword]: 'undefined', [K.NullKeyword]: 'null', [K.ObjectKeyword]: 'any',
}
const builtins = new Set(['Date', 'File', 'Blob', 'FileList'])

function propName(n) {
  return n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name) || ts.isNumericLiteral(n.name)) ? n.name.text : null
}

// isExtension reports a declaration tagged @extension: provided by this
// SDK beyond what the documents require.
function isExtension(n) {
  return ts.getJSDocTags(n).some((t) => t.tagName.text === 'extension')
}

function members(list) {
  const fields = {}
  let index
  for (const m of list) {
    if (ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) {
      const name = propName(m)
      if (name === null || name.startsWith('_')) continue
      if (m.modifiers && m.modifiers.some((x) => x.kind === K.PrivateKeyword || x.kind === K.StaticKeyword)) continue
      const f = { t: type(m.type), optional: !!m.questionToken }
      if (isExtension(m)) f.extension = true
      fields[name] = f
    } else if (ts.isIndexSignatureDeclaration(m)) {
      index = type(m.type)
    }
  }
  const o = { k: 'object', fields }
  if (index) o.index = index
  return o
}

function type(n) {
  if (!n) return { k: 'any' }
  if (keyword[n.kind]) return { k: keyword[n.kind] }
  switch (n.kind) {
    case K.ParenthesizedType: return type(n.type)
    case K.ArrayType: return { k: 'array', of: type(n.elementType) }
    case K.UnionType: return { k: 'union', of: n.types.map(type) }
    case K.TypeLiteral: return members(n.members)
    case K.LiteralType:
      if (n.literal.kind === K.NullKeyword) return { k: 'null' }
      if (n.literal.kind === K.StringLiteral) return { k: 'lit', v: n.literal.text }
      if (n.literal.kind === K.NumericLiteral) return { k: 'lit', v: Number(n.literal.text) }
      if (n.literal.kind === K.TrueKeyword) return { k: 'lit', v: true }
      if (n.literal.kind === K.FalseKeyword) return { k: 'lit', v: false }
      return { k: 'any' }
    case K.TypeReference: {
      const name = n.typeName.getText(src)
      const args = n.typeArguments || []
      if (name === 'Promise') return type(args[0])
      if (name === 'Record') return { k: 'object', fields: {}, index: type(args[1]) }
      if (name === 'Array') return { k: 'array', of: type(args[0]) }
      if (builtins.has(name)) return { k: name === 'FileList' ? 'File' : name }
      return { k: 'ref', name }
    }
    default:
      return { k: 'any' } // typeof queries, functions and the like: not checked
  }
}

const types = {}
let clientClass = null
let events = null
for (const st of src.statements) {
  if (ts.isInterfaceDeclaration(st)) {
    const o = members(st.members)
    const ext = (st.heritageClauses || []).flatMap((h) => h.types.map((t) => t.expression.getText(src)))
    if (ext.length) o.extends = ext
    const prev = types[st.name.text]
    if (prev && prev.k === 'object') { // declaration merging (class Chat + interface Chat)
      Object.assign(prev.fields, o.fields)
      prev.extends = [...(prev.extends || []), ...(o.extends || [])]
    } else {
      types[st.name.text] = o
    }
    if (st.name.text === 'ClientEvents') events = st
  } else if (ts.isClassDeclaration(st) && st.name) {
    if (st.name.text === 'Client') clientClass = st
    const o = members(st.members)
    const prev = types[st.name.text]
    if (prev && prev.k === 'object') {
      Object.assign(prev.fields, o.fields)
      o.extends = prev.extends
      prev.fields = { ...o.fields, ...prev.fields }
    } else {
      types[st.name.text] = o
    }
  } else if (ts.isTypeAliasDeclaration(st)) {
    types[st.name.text] = type(st.type)
  }
}
if (!clientClass || !events) throw new Error(`${file}: no Client class or ClientEvents interface`)

const methods = {}
for (const m of clientClass.members) {
  if (!ts.isMethodDeclaration(m)) continue
  const name = propName(m)
  if (!name || name.startsWith('_') || methods[name]) continue // first overload wins
  methods[name] = type(m.type)
}

const eventTypes = {}
for (const [name, f] of Object.entries(types.ClientEvents.fields)) eventTypes[name] = f.extension ? { ...f.t, ext: true } : f.t

process.stdout.write(JSON.stringify({ source: file, types, methods, events: eventTypes }, null, 1) + '\n')
