package sdk

import "github.com/ccaip/headless-go/api"

// Counters describe what the delivery engine saw on the current chat's
// realtime stream, like the peer SDK's notification counters.
type Counters struct {
	// Delivered is the number of messages handed to chat.message listeners.
	Delivered uint64
	// Duplicates counts frames of messages already delivered or buffered.
	Duplicates uint64
	// OutOfOrder counts frames that arrived ahead of a missing index.
	OutOfOrder uint64
	// GapFills counts requests made to the platform to fill a gap.
	GapFills uint64
}

// sequencer turns a stream of message frames that may be duplicated,
// reordered or missing into exactly-once, in-order delivery by $index.
// next is the index it waits for; frames ahead of it wait in pending until
// the gap closes, from a late frame or from the platform.
type sequencer struct {
	next     int64
	pending  map[int64]*api.Message
	counters Counters
}

// reset starts over after cursor, the last index delivered.
func (s *sequencer) reset(cursor int64) {
	s.next = cursor + 1
	s.pending = nil
	s.counters = Counters{}
}

// cursor is the last index delivered.
func (s *sequencer) cursor() int64 { return s.next - 1 }

// offer takes one message and returns the messages now deliverable, in order.
func (s *sequencer) offer(m *api.Message) []*api.Message {
	switch {
	case m.Index < s.next:
		s.counters.Duplicates++
		return nil
	case m.Index > s.next:
		if _, ok := s.pending[m.Index]; ok {
			s.counters.Duplicates++
			return nil
		}
		if s.pending == nil {
			s.pending = map[int64]*api.Message{}
		}
		s.pending[m.Index] = m
		s.counters.OutOfOrder++
		return nil
	}
	out := []*api.Message{m}
	s.next++
	for {
		p, ok := s.pending[s.next]
		if !ok {
			break
		}
		delete(s.pending, s.next)
		out = append(out, p)
		s.next++
	}
	s.counters.Delivered += uint64(len(out))
	return out
}

// gap reports the missing range [from, to] below the lowest pending index.
func (s *sequencer) gap() (from, to int64, ok bool) {
	if len(s.pending) == 0 {
		return 0, 0, false
	}
	low := int64(-1)
	for i := range s.pending {
		if low < 0 || i < low {
			low = i
		}
	}
	return s.next, low - 1, true
}
