// Package sdk is the headless chat client: the documented methods and events
// of the CCAI Platform headless web SDK, in pure Go. It never touches
// JavaScript; the browser build in wasm/ adapts it through the ports in
// ports.go. Native Go programs and the tests use it directly against the
// local platform server.
package sdk
