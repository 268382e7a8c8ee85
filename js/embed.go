// Package jsfiles embeds the browser files of the SDK so that the platform
// server can serve the communication iframe (bridge.html, bridge.js) from
// its own origin, and the demo can serve the loader, types and widget.
package jsfiles

import "embed"

// Bridge holds bridge.html, bridge.js, its allow-list bridge-routes.js and
// bridge-fetch.js: the communication iframe that the loader embeds on the
// platform's origin; and core-worker.js, the worker the iframe runs the Go
// core in (it loads the wasm from the platform's /sdk/), with
// early-signin.js, which the loader ships too.
//
//go:embed bridge.html bridge.js bridge-routes.js bridge-fetch.js core-worker.js early-signin.js
var Bridge embed.FS

// Files holds every browser file of the SDK: the loader, the bridge, the
// TypeScript declarations and the widget.
//
//go:embed *.js *.html *.d.ts
var Files embed.FS

// WidgetFiles are the files the drop-in widget adds to the SDK, in js/:
// its size budget (issue #17: 40 KB brotli) counts these.
var WidgetFiles = []string{"widget.js", "widget-strings.js", "widget.css"}
