// Package native holds the ports of package sdk that need the standard
// network stack: an HTTP Communicator and a WebSocket Dialer. Native Go
// programs and the tests use them; the browser build never links them.
package native
