package realtime

import (
	"context"
	"time"
)

// Faults are the delivery faults the transports apply to message frames
// (the platform's Faults carry them), so that a client's resume, dedup and
// ordering logic can be tested against the real server.
type Faults struct {
	DropAfter int           // close each connection after it has sent this many message frames (0: never)
	Duplicate bool          // send every message frame twice
	Reorder   bool          // swap each pair of consecutive message frames
	Delay     time.Duration // delay before each frame
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
