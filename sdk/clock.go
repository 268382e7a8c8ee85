package sdk

import "time"

// SystemClock is the Clock of the running system: time.Now and time.Timer.
// It works natively and in the browser, where the Go runtime drives timers
// through the JS event loop.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// NewTimer returns a running timer that fires once after d.
func (SystemClock) NewTimer(d time.Duration) Timer { return sysTimer{time.NewTimer(d)} }

type sysTimer struct{ t *time.Timer }

func (t sysTimer) C() <-chan time.Time { return t.t.C }
func (t sysTimer) Stop() bool          { return t.t.Stop() }

// NopLogger drops every message; it is the default Logger.
type NopLogger struct{}

// Logf does nothing.
func (NopLogger) Logf(string, ...any) {}
