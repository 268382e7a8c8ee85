//go:build !(js && wasm)

package sdk_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/server"
)

// sendFront stands in front of the platform and injects faults into the
// end user's sends (single and batch): every fail-th send is either
// refused with 503 before the platform sees it or, alternately, stored by
// the platform with its answer lost (503 instead), the case that would make
// a second copy if a retry were not idempotent. With lose set every send's
// answer is lost.
type sendFront struct {
	mu                     sync.Mutex
	fail                   int
	lose                   bool
	single, batch          int // send requests seen
	refused, lostResponses int
}

func (f *sendFront) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		isBatch := strings.HasSuffix(r.URL.Path, "/messages/batch")
		if r.Method != "POST" || !(isBatch || strings.HasSuffix(r.URL.Path, "/messages")) {
			next.ServeHTTP(w, r)
			return
		}
		f.mu.Lock()
		if isBatch {
			f.batch++
		} else {
			f.single++
		}
		n, refuse, lose := f.single+f.batch, false, f.lose
		if f.fail > 0 && n%f.fail == 0 {
			refuse, lose = (n/f.fail)%2 == 1, (n/f.fail)%2 == 0
		}
		if refuse {
			f.refused++
		} else if lose {
			f.lostResponses++
		}
		f.mu.Unlock()
		if lose {
			next.ServeHTTP(httptest.NewRecorder(), r)
		}
		if refuse || lose {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"error":{"code":"unavailable","message":"injected by the test's front","retryable":true}}`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (f *sendFront) set(fail int, lose bool) {
	f.mu.Lock()
	f.fail, f.lose = fail, lose
	f.mu.Unlock()
}

func (f *sendFront) counts() (requests, batches, refused, lost int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.single + f.batch, f.batch, f.refused, f.lostResponses
}

// burst sends ms in this order as a page does: each call is made once the
// one before it is queued (its first message.status), without waiting for
// it to be sent. It returns each call's error.
func burst(t *testing.T, c *sdk.Client, ms []sdk.OutgoingMessage) []error {
	t.Helper()
	queued := make(chan struct{}, len(ms))
	off := c.On(sdk.EventMessageStatus, func(p any) {
		if o := p.(*sdk.Outgoing); o.State == sdk.OutQueued && o.Attempts == 0 {
			queued <- struct{}{}
		}
	})
	defer off()
	ctx := ctxT(t)
	errs := make([]error, len(ms))
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.SendMessage(ctx, m)
		}()
		select {
		case <-queued:
		case <-time.After(10 * time.Second):
			t.Fatalf("message %d was never queued", i)
		}
	}
	wg.Wait()
	return errs
}

func texts(prefix string, n int) []sdk.OutgoingMessage {
	ms := make([]sdk.OutgoingMessage, n)
	for i := range ms {
		ms[i] = sdk.OutgoingMessage{Text: fmt.Sprintf("%s %d", prefix, i)}
	}
	return ms
}

// endUserTexts is what the platform holds from the end user, in $index order.
func endUserTexts(t *testing.T, c *sdk.Client) []string {
	t.Helper()
	all, err := c.Transcript(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range all {
		if m.UserType == api.UserEndUser {
			out = append(out, m.Content)
		}
	}
	return out
}

func sameTexts(t *testing.T, got []string, want []sdk.OutgoingMessage) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("platform holds %d end-user messages, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i].Text {
			t.Fatalf("platform's end-user message %d is %q, want %q (lost, duplicated or out of order)", i, got[i], want[i].Text)
		}
	}
}

// TestOutboxBurst sends 500 messages as fast as a page can call, while
// every 2nd send request is refused or has its answer lost, with a message
// the platform rejects every 50: the platform stores every other message
// exactly once and in the order of the calls, the rejected ones fail alone
// (message.status failed) without holding up the rest, and the burst goes
// out in batches: far fewer requests than messages.
func TestOutboxBurst(t *testing.T) {
	t.Parallel()
	front := &sendFront{}
	p := newPlatformBehind(t, server.Config{Rates: server.Rates{EndUser: -1}}, front.wrap)
	c, rec, _ := chatWithAgent(t, p, "burst", sdk.NewMemoryStore(), "agent here")
	front.set(2, false)

	const n = 500
	ms := texts("burst", n)
	var want []sdk.OutgoingMessage
	for i := range ms {
		if i%50 == 25 {
			ms[i] = sdk.OutgoingMessage{Noti: "bogus"} // the platform refuses it
		} else {
			want = append(want, ms[i])
		}
	}
	errs := burst(t, c, ms)
	rec.waitFor(t, 60*time.Second, "outbox drained", func() bool { return len(c.Outbox()) == 0 })
	for i, err := range errs {
		if i%50 != 25 && err != nil {
			t.Errorf("send %d: %v", i, err)
		}
	}
	sameTexts(t, endUserTexts(t, c), want)

	final := map[string]*sdk.Outgoing{}
	rec.waitFor(t, 10*time.Second, "a final status for every message", func() bool {
		for _, e := range rec.all() {
			if o, ok := e.payload.(*sdk.Outgoing); ok && e.name == sdk.EventMessageStatus {
				final[o.ClientID] = o
			}
		}
		done := 0
		for _, o := range final {
			if o.State == sdk.OutSent || o.State == sdk.OutFailed {
				done++
			}
		}
		return done == n
	})
	failed := 0
	for _, o := range final {
		if o.State == sdk.OutFailed {
			failed++
			if o.Err == nil || o.Err.Code != api.CodeInvalidArgument {
				t.Errorf("failed message %s: %v, want invalid_argument", o.ClientID, o.Err)
			}
		}
	}
	if failed != n-len(want) {
		t.Errorf("%d messages failed, want the %d the platform refused", failed, n-len(want))
	}
	requests, batches, refused, lost := front.counts()
	t.Logf("%d messages in %d send requests (%d batches); %d refused, %d answers lost", n, requests, batches, refused, lost)
	if refused == 0 || lost == 0 {
		t.Fatalf("the faults did not fire (%d refused, %d lost)", refused, lost)
	}
	if batches == 0 || requests > n/4 {
		t.Errorf("%d messages took %d send requests (%d batches): want the burst batched", n, requests, batches)
	}
}

// crashStore is a Store that a crash freezes: after crash() it drops every
// write, as a page killed mid-burst would leave its localStorage. It counts
// the writes of the outbox key.
type crashStore struct {
	*sdk.MemoryStore
	mu      sync.Mutex
	crashed bool
	outbox  int
}

func (s *crashStore) Set(k, v string) error {
	return s.write(k, func() error { return s.MemoryStore.Set(k, v) })
}

func (s *crashStore) Delete(k string) error {
	return s.write(k, func() error { return s.MemoryStore.Delete(k) })
}

func (s *crashStore) write(k string, f func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.crashed {
		return nil
	}
	if strings.HasSuffix(k, ":"+sdk.KeyOutbox) {
		s.outbox++
	}
	return f()
}

func (s *crashStore) crash() {
	s.mu.Lock()
	s.crashed = true
	s.mu.Unlock()
}

func (s *crashStore) outboxWrites() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.outbox
}

// TestOutboxCrashMidBurst: a burst the platform accepts at once costs a few
// writes of the stored outbox, not one or two per message (it is written
// behind the sends). Then the platform stores every send but its answers
// are lost, so the outbox keeps retrying messages the platform already has;
// the page crashes mid-burst, and a new client resends the stored outbox:
// the platform ends with every message once, in order — no duplicate (the
// resends carry the same client_id), no gap (every call returned "queued"
// only once its message was stored).
func TestOutboxCrashMidBurst(t *testing.T) {
	t.Parallel()
	front := &sendFront{}
	p := newPlatformBehind(t, server.Config{Rates: server.Rates{EndUser: -1}}, front.wrap)
	store := &crashStore{MemoryStore: sdk.NewMemoryStore()}
	c1, rec1, _ := chatWithAgent(t, p, "crash", store, "agent here")

	const n = 200
	first := texts("before", n)
	for i, err := range burst(t, c1, first) {
		if err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	rec1.waitFor(t, 30*time.Second, "outbox drained", func() bool { return len(c1.Outbox()) == 0 })
	if w := store.outboxWrites(); w > n/10 {
		t.Errorf("%d messages sent without a failure wrote the stored outbox %d times: want it written behind the sends", n, w)
	}

	front.set(0, true)
	second := texts("crash", 100)
	for i, err := range burst(t, c1, second) {
		if err != nil {
			t.Fatalf("send %d: %v (want queued)", i, err)
		}
	}
	rec1.waitFor(t, 10*time.Second, "a retry the platform stored", func() bool {
		_, _, _, lost := front.counts()
		return lost >= 3
	})
	if got := endUserTexts(t, c1); len(got) <= n {
		t.Fatalf("before the crash the platform holds %d end-user messages: want some of the crash burst there already", len(got))
	}
	store.crash()
	c1.Close()
	front.set(0, false)

	c2, rec2 := newClient(t, p, "crash", withStore(store.MemoryStore))
	if _, err := c2.LoadOngoingChat(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	rec2.waitFor(t, 30*time.Second, "the stored outbox resent", func() bool { return len(c2.Outbox()) == 0 })
	sameTexts(t, endUserTexts(t, c2), append(first, second...))
}
