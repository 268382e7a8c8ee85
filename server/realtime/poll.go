package realtime

import (
	"context"
	"time"

	"github.com/ccaip/headless-go/api"
)

// Long-poll bounds, in seconds.
const (
	DefaultPollTimeout = 25
	MaxPollTimeout     = 30
)

// Poll is one long poll of one chat: the messages after after that
// backlog holds, or else the first events to arrive on sb within timeout
// (and those right behind them). It returns early when ctx ends (ok is
// false: the client left, answer nothing) or closing is closed (the
// platform stopping: answer what there is).
func Poll(ctx context.Context, closing <-chan struct{}, sb *Sub, after int64, timeout time.Duration, backlog Backlog) (resp api.PollResponse, ok bool, err error) {
	resp = api.PollResponse{Events: []api.Event{}, LastIndex: after}
	add := func(e api.Event) {
		if e.Type == api.EventMessage {
			if e.Message.Index <= resp.LastIndex {
				return
			}
			resp.LastIndex = e.Message.Index
		}
		resp.Events = append(resp.Events, e)
	}
	ms, err := backlog(ctx, after)
	if err != nil {
		return resp, false, err
	}
	for i := range ms {
		add(api.Event{Type: api.EventMessage, ChatID: sb.chatID, Message: &ms[i]})
	}
	if len(resp.Events) == 0 && timeout > 0 {
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		select {
		case e := <-sb.ch:
			add(e)
		drain:
			for {
				select {
				case e := <-sb.ch:
					add(e)
				default:
					break drain
				}
			}
		case <-timer.C:
		case <-sb.gone:
		case <-ctx.Done():
			return resp, false, nil
		case <-closing:
		}
	}
	return resp, true, nil
}
