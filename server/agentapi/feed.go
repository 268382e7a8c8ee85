package agentapi

import (
	"net/http"
	"sync"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/realtime"
)

// feedSize is how many recent events the agent feed keeps. A console that
// falls further behind is told to reload (reset) instead of silently
// missing events.
const feedSize = 2048

// FeedEntry is one event of the agent feed with its sequence number.
type FeedEntry struct {
	Seq   int64     `json:"seq"`
	Event api.Event `json:"event"`
}

// FeedResponse is one long-poll answer of the agent feed. Reset says that
// events after the requested sequence were dropped (the console fell too
// far behind), so it must reload its lists.
type FeedResponse struct {
	Events  []FeedEntry `json:"events"`
	LastSeq int64       `json:"last_seq"`
	Reset   bool        `json:"reset,omitempty"`
}

// agentFeed is a bounded, sequenced log of every event published for the
// company's chats.
type agentFeed struct {
	mu   sync.Mutex
	buf  []FeedEntry // ring of the newest events, oldest first after start
	head int         // index of the oldest entry once the ring is full
	last int64       // sequence of the newest entry
	wake chan struct{}
}

func newAgentFeed() *agentFeed { return &agentFeed{wake: make(chan struct{})} }

// add appends e and wakes every waiting poll. It never blocks: it runs
// inside the hub's publish.
func (f *agentFeed) add(e api.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.last++
	ent := FeedEntry{Seq: f.last, Event: e}
	if len(f.buf) < feedSize {
		f.buf = append(f.buf, ent)
	} else {
		f.buf[f.head] = ent
		f.head = (f.head + 1) % feedSize
	}
	close(f.wake)
	f.wake = make(chan struct{})
}

// since returns the entries after seq, whether some were lost, and a
// channel closed on the next add.
func (f *agentFeed) since(seq int64) (FeedResponse, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	resp := FeedResponse{Events: []FeedEntry{}, LastSeq: f.last}
	if seq > f.last {
		// A sequence from before a restart: start over.
		resp.Reset = true
		return resp, f.wake
	}
	n := len(f.buf)
	for i := range n {
		e := f.buf[(f.head+i)%n]
		if e.Seq > seq {
			if len(resp.Events) == 0 && e.Seq > seq+1 {
				resp.Reset = true
			}
			resp.Events = append(resp.Events, e)
		}
	}
	return resp, f.wake
}

// handleFeed is the agent console's realtime channel: a long poll of the
// company's events after a sequence number (GET /agent/v1/events).
func (s *API) handleFeed(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	after, err := httpapi.QueryInt(r, "after", 0)
	if err != nil {
		return err
	}
	timeout, err := httpapi.QueryInt(r, "timeout", realtime.DefaultPollTimeout)
	if err != nil {
		return err
	}
	timeout = min(timeout, realtime.MaxPollTimeout)
	resp, wake := s.feed.since(after)
	if len(resp.Events) == 0 && !resp.Reset && timeout > 0 {
		timer := time.NewTimer(time.Duration(timeout) * time.Second)
		defer timer.Stop()
		select {
		case <-wake:
			resp, _ = s.feed.since(after)
		case <-timer.C:
		case <-r.Context().Done():
			return nil
		case <-s.Chat.Context().Done():
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, resp)
	return nil
}
