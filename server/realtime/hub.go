package realtime

import (
	"sync"

	"github.com/ccaip/headless-go/api"
)

// subBuffer is how many events a subscriber may lag behind before it is cut
// off; a cut-off client reconnects and resumes from its last index.
const subBuffer = 512

// Sub is one realtime subscriber of one chat.
type Sub struct {
	chatID int64
	ch     chan api.Event
	// gone is closed when the subscriber was cut off (lagging, or the
	// hub closing).
	gone chan struct{}
	once sync.Once
}

func (s *Sub) cut() { s.once.Do(func() { close(s.gone) }) }

// Events delivers the chat's events in publication order.
func (s *Sub) Events() <-chan api.Event { return s.ch }

// Gone is closed when the subscriber was cut off: it lagged a full buffer
// behind, or the hub closed. Its client resumes from its last index.
func (s *Sub) Gone() <-chan struct{} { return s.gone }

// Hub fans published events out to the subscribers of their chat. The
// store publishes into it after each commit (store.Options.Publish).
type Hub struct {
	mu     sync.Mutex
	subs   map[int64]map[*Sub]struct{}
	closed bool
	// tap, when set, sees every published event of every chat (the agent
	// feed and the simulated agent); it must not block.
	tap func(api.Event)
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[int64]map[*Sub]struct{}{}} }

// SetTap makes f see every event published from now on, of every chat,
// under the hub's lock: f must not block.
func (h *Hub) SetTap(f func(api.Event)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tap = f
}

// Subscribe starts delivering chatID's events; Unsubscribe ends it.
func (h *Hub) Subscribe(chatID int64) *Sub {
	s := &Sub{chatID: chatID, ch: make(chan api.Event, subBuffer), gone: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		s.cut()
		return s
	}
	m := h.subs[chatID]
	if m == nil {
		m = map[*Sub]struct{}{}
		h.subs[chatID] = m
	}
	m[s] = struct{}{}
	return s
}

// Unsubscribe stops delivering to s.
func (h *Hub) Unsubscribe(s *Sub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := h.subs[s.chatID]; m != nil {
		delete(m, s)
		if len(m) == 0 {
			delete(h.subs, s.chatID)
		}
	}
}

// Publish hands e to the tap and its chat's subscribers. It never blocks:
// a subscriber whose buffer is full is cut off rather than silently
// losing an event.
func (h *Hub) Publish(e api.Event) {
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

// CloseAll cuts every subscriber off, and every later one at once.
func (h *Hub) CloseAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, m := range h.subs {
		for s := range m {
			s.cut()
		}
	}
	h.subs = map[int64]map[*Sub]struct{}{}
}
