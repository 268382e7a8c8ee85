// Package console holds the agent console page: plain HTML, CSS and ES
// modules, embedded so the platform serves them without a build step.
package console

import "embed"

// Files is the console's static tree; everything lives under "static/".
//
//go:embed static
var Files embed.FS
