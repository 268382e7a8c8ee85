//go:build !(js && wasm)

package sdk_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/server"
)

// TestDeliveryUnderFaults sends messages from both sides while the
// platform drops, duplicates, reorders and delays realtime frames (and, in
// the last case, restarts), and checks that every message reached the
// listeners exactly once and in $index order.
func TestDeliveryUnderFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		faults  server.Faults
		n       int // messages sent, half by each side
		restart bool
		check   func(t *testing.T, c sdk.Counters)
	}{
		{name: "dropped mid-stream", faults: server.Faults{DropAfter: 37}, n: 300},
		{name: "duplicated", faults: server.Faults{Duplicate: true}, n: 300, check: func(t *testing.T, c sdk.Counters) {
			if c.Duplicates == 0 {
				t.Errorf("no duplicates counted: %+v", c)
			}
		}},
		{name: "reordered", faults: server.Faults{Reorder: true}, n: 300, check: func(t *testing.T, c sdk.Counters) {
			if c.OutOfOrder == 0 {
				t.Errorf("no out-of-order frames counted: %+v", c)
			}
		}},
		{name: "delayed", faults: server.Faults{Delay: 2 * time.Millisecond}, n: 200},
		{name: "all faults and a restart", faults: server.Faults{DropAfter: 53, Duplicate: true, Reorder: true, Delay: time.Millisecond}, n: 1000, restart: true,
			check: func(t *testing.T, c sdk.Counters) {
				if c.Duplicates == 0 || c.OutOfOrder == 0 {
					t.Errorf("counters %+v: want duplicates and out-of-order frames", c)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 500 sends as fast as the outbox goes, over the end user's
			// rate: what is under test is delivery, not the limit.
			p := newPlatform(t, server.Config{Rates: server.Rates{EndUser: -1}})
			c, rec := newClient(t, p, "faults-"+fmt.Sprint(tt.n))
			ctx := ctxT(t)
			chat, err := c.CreateChat(ctx, 123, api.ChatRequest{})
			if err != nil {
				t.Fatal(err)
			}
			rec.waitEvent(t, sdk.EventChatConnected, 1)
			agentSay(t, p, chat.ID, 1, "agent takes over") // the virtual agent steps back
			rec.waitMessage(t, "agent takes over")
			p.server().SetFaults(tt.faults)

			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				for i := range tt.n / 2 {
					agentSay(t, p, chat.ID, 1, fmt.Sprintf("agent %d", i))
					if tt.restart && i == tt.n/4 {
						p.restart()
						p.server().SetFaults(tt.faults)
					}
				}
			}()
			go func() {
				defer wg.Done()
				for i := range tt.n / 2 {
					if err := c.SendTextMessage(ctx, fmt.Sprintf("user %d", i)); err != nil {
						t.Errorf("send %d: %v", i, err)
						return
					}
				}
			}()
			wg.Wait()
			rec.waitFor(t, 60*time.Second, "outbox drained", func() bool { return len(c.Outbox()) == 0 })

			all, err := c.Transcript(ctx)
			if err != nil {
				t.Fatal(err)
			}
			last := all[len(all)-1].Index
			if len(all) < tt.n {
				t.Fatalf("platform holds %d messages, want at least %d", len(all), tt.n)
			}
			rec.waitFor(t, 60*time.Second, fmt.Sprintf("%d messages", last), func() bool { return len(rec.messages()) >= int(last) })
			time.Sleep(300 * time.Millisecond) // room for a late duplicate to show
			checkInOrder(t, rec.messages(), last)
			users := 0
			for _, m := range rec.messages() {
				if m.UserType == api.UserEndUser {
					users++
				}
			}
			if users != tt.n/2 {
				t.Fatalf("%d end-user messages delivered, want %d (a retry made a second message?)", users, tt.n/2)
			}
			if tt.check != nil {
				tt.check(t, c.Counters())
			}
			t.Logf("counters %+v", c.Counters())
		})
	}
}
