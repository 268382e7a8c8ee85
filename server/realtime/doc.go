// Package realtime carries a chat's events to its end user: the hub the
// store publishes committed events into, the realtime tickets, the
// WebSocket stream (hello, resume from the client's last index, live
// events, pings) and the long poll, with the fault injection tests use.
// It stands beside the chat domain: it knows events and messages, not how
// they are stored or which HTTP route serves them.
package realtime
