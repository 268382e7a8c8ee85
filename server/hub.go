package server

import (
	"sync"

	"github.com/ccaip/headless-go/api"
)

// subBuffer is how many events a subscriber may lag behind before it is cut
// off; a cut-off client reconnects and resumes from its last index.
const subBuffer = 512

// sub is one realtime subscriber of one chat.
type sub struct {
	chatID int64
	ch     chan api.Event
	// gone is closed when the subscriber was cut off (lagging, or the
	// server closing).
	gone chan struct{}
	once sync.Once
}

func (s *sub) cut() { s.once.Do(func() { close(s.gone) }) }

// hub fans published events out to the subscribers of their chat.
type hub struct {
	mu     sync.Mutex
	subs   map[int64]map[*sub]struct{}
	closed bool
	// tap, when set, sees every published event of every chat (the agent
	// feed and the simulated agent); it must not block.
	tap func(api.Event)
}

func newHub() *hub { return &hub{subs: map[int64]map[*sub]struct{}{}} }

func (h *hub) subscribe(chatID int64) *sub {
	s := &sub{chatID: chatID, ch: make(chan api.Event, subBuffer), gone: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		s.cut()
		return s
	}
	m := h.subs[chatID]
	if m == nil {
		m = map[*sub]struct{}{}
		h.subs[chatID] = m
	}
	m[s] = struct{}{}
	return s
}

func (h *hub) unsubscribe(s *sub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := h.subs[s.chatID]; m != nil {
		delete(m, s)
		if len(m) == 0 {
			delete(h.subs, s.chatID)
		}
	}
}

// publish never blocks: a subscriber whose buffer is full is cut off
// rather than silently losing an event.
func (h *hub) publish(e api.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.tap != nil {
		h.tap(e)
	}
	for s := range h.subs[e.ChatID] {
		select {
		case s.ch <- e:
		default:
			s.cut()
			delete(h.subs[e.ChatID], s)
		}
	}
}

func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, m := range h.subs {
		for s := range m {
			s.cut()
		}
	}
	h.subs = map[int64]map[*sub]struct{}{}
}
