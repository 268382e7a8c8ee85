package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/ccaip/headless-go/api"
)

// reorderHold is how long a held frame waits for a partner to swap with
// under Faults.Reorder before it is sent alone.
const reorderHold = 100 * time.Millisecond

// Backlog reads up to one page of a chat's messages after index after,
// in order; a page shorter than Stream.PageSize is the last.
type Backlog func(ctx context.Context, after int64) ([]api.Message, error)

// Stream is one realtime WebSocket connection to one chat, from the
// hello frame on: the chat's messages after After from Backlog (resume
// from a sequence), then its live events from Sub.
type Stream struct {
	Conn     *websocket.Conn
	Sub      *Sub
	Hello    api.Event // the first frame: the chat as it is now
	After    int64     // the client's last index
	Backlog  Backlog
	PageSize int
	Batch    bool // the client asked for EventMessages frames
	Ping     time.Duration
	Faults   *atomic.Pointer[Faults]
}

// Serve runs the connection until ctx ends (the platform closing), the
// client goes, or the subscriber is cut off; it closes Conn with a status
// that tells the client to resume.
func (st Stream) Serve(ctx context.Context) {
	conn, c := st.Conn, st.Hello.ChatID
	fw := &frameWriter{faults: st.Faults, conn: conn, chatID: c, batch: st.Batch}
	if err := fw.write(ctx, st.Hello); err != nil {
		return
	}
	last := st.After
	for {
		ms, err := st.Backlog(ctx, last)
		if err != nil {
			conn.Close(websocket.StatusInternalError, "storage error")
			return
		}
		if err := fw.writeMessages(ctx, ms); err != nil {
			return
		}
		if len(ms) > 0 {
			last = ms[len(ms)-1].Index
		}
		if len(ms) < st.PageSize {
			break
		}
	}
	ping := time.NewTicker(st.Ping)
	defer ping.Stop()
	sb := st.Sub
	for {
		var flush <-chan time.Time
		if fw.held != nil {
			flush = time.After(reorderHold)
		}
		var err error
		select {
		case <-ctx.Done():
			conn.Close(websocket.StatusGoingAway, "closing")
			return
		case <-sb.gone:
			conn.Close(websocket.StatusTryAgainLater, "resume from your last index")
			return
		case <-ping.C:
			err = fw.write(ctx, api.Event{Type: api.EventPing, ChatID: c})
		case <-flush:
			err = fw.flush(ctx)
		case e := <-sb.ch:
			err = fw.forward(ctx, e, sb.ch, &last)
		}
		if err != nil {
			return
		}
	}
}

// forward writes e and every event already waiting on more, so that a
// burst of messages leaves in as few frames as the connection allows.
// Messages at or below *last are skipped; *last follows what was sent.
func (fw *frameWriter) forward(ctx context.Context, e api.Event, more <-chan api.Event, last *int64) error {
	var ms []api.Message
	for {
		if e.Type != api.EventMessage {
			if err := fw.writeMessages(ctx, ms); err != nil {
				return err
			}
			ms = ms[:0]
			if err := fw.write(ctx, e); err != nil {
				return err
			}
		} else if e.Message.Index > *last {
			*last = e.Message.Index
			ms = append(ms, *e.Message)
		}
		if len(ms) >= maxBatch {
			return fw.writeMessages(ctx, ms)
		}
		select {
		case e = <-more:
		default:
			return fw.writeMessages(ctx, ms)
		}
	}
}

// errDropped ends a connection on purpose (Faults.DropAfter).
var errDropped = errors.New("dropped by fault injection")

// frameWriter writes events to one connection, applying the current
// Faults to message frames.
type frameWriter struct {
	faults *atomic.Pointer[Faults]
	conn   *websocket.Conn
	chatID int64
	batch  bool // the client asked for EventMessages frames
	sent   int
	held   *api.Event
}

// Bounds of one EventMessages frame: messages, and bytes of their content.
const (
	maxBatch      = 100
	maxBatchBytes = 256 << 10
)

// writeMessages sends ms in order: in EventMessages frames on a batching
// connection without message faults, else one frame each.
func (fw *frameWriter) writeMessages(ctx context.Context, ms []api.Message) error {
	f := fw.faults.Load()
	if !fw.batch || f.Reorder || f.Duplicate || f.DropAfter > 0 || fw.held != nil {
		for i := range ms {
			if err := fw.write(ctx, api.Event{Type: api.EventMessage, ChatID: fw.chatID, Message: &ms[i]}); err != nil {
				return err
			}
		}
		return nil
	}
	for len(ms) > 0 {
		n, size := 0, 0
		for n < len(ms) && n < maxBatch && (n == 0 || size+len(ms[n].Content) <= maxBatchBytes) {
			size += len(ms[n].Content)
			n++
		}
		var err error
		if n == 1 {
			err = fw.send(ctx, api.Event{Type: api.EventMessage, ChatID: fw.chatID, Message: &ms[0]}, f)
		} else {
			err = fw.send(ctx, api.Event{Type: api.EventMessages, ChatID: fw.chatID, Messages: ms[:n]}, f)
		}
		if err != nil {
			return err
		}
		fw.sent += n
		ms = ms[n:]
	}
	return nil
}

func (fw *frameWriter) write(ctx context.Context, e api.Event) error {
	f := fw.faults.Load()
	if e.Type != api.EventMessage {
		return fw.send(ctx, e, f)
	}
	if f.Reorder && fw.held == nil {
		fw.held = &e
		return nil
	}
	if fw.held != nil {
		h := *fw.held
		fw.held = nil
		if err := fw.sendMessage(ctx, e, f); err != nil {
			return err
		}
		return fw.sendMessage(ctx, h, f)
	}
	return fw.sendMessage(ctx, e, f)
}

// flush sends a held frame that found no partner.
func (fw *frameWriter) flush(ctx context.Context) error {
	if fw.held == nil {
		return nil
	}
	h := *fw.held
	fw.held = nil
	return fw.sendMessage(ctx, h, fw.faults.Load())
}

func (fw *frameWriter) sendMessage(ctx context.Context, e api.Event, f *Faults) error {
	n := 1
	if f.Duplicate {
		n = 2
	}
	for range n {
		if err := fw.send(ctx, e, f); err != nil {
			return err
		}
		fw.sent++
		if f.DropAfter > 0 && fw.sent >= f.DropAfter {
			fw.conn.CloseNow()
			return errDropped
		}
	}
	return nil
}

func (fw *frameWriter) send(ctx context.Context, e api.Event, f *Faults) error {
	if f.Delay > 0 && !sleep(ctx, f.Delay) {
		return ctx.Err()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return fw.conn.Write(wctx, websocket.MessageText, b)
}
