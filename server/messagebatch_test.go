package server_test

import (
	"fmt"
	"testing"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// TestSendMessageBatch: a batch is stored in its order, each message as a
// single send would be; a rejected message does not stop the ones after
// it; a retry of the batch stores nothing twice; a chat no longer ongoing
// refuses each new message but still answers the ones it has.
func TestSendMessageBatch(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("batcher")
	c := u.createChat(124)
	batch := api.SendMessagesRequest{}
	for i := range 5 {
		batch.Messages = append(batch.Messages, api.SendMessageRequest{ClientID: fmt.Sprint("b", i), Type: api.MsgText, Content: fmt.Sprint("batch ", i)})
	}
	batch.Messages[2] = api.SendMessageRequest{ClientID: "b2", Type: api.MsgNoti, Event: "bogus"} // refused
	send := func(req api.SendMessagesRequest) api.SendMessagesResponse {
		t.Helper()
		var r api.SendMessagesResponse
		res := u.do("POST", path(api.RouteMessageBatch, c.ID), req)
		res.wantOK(t)
		res.decode(t, &r)
		if len(r.Results) != len(req.Messages) {
			t.Fatalf("%d results for %d messages", len(r.Results), len(req.Messages))
		}
		return r
	}
	first := send(batch)
	for i, res := range first.Results {
		if i == 2 {
			if res.Error == nil || res.Error.Code != api.CodeInvalidArgument || res.Status != 400 || res.Message != nil {
				t.Errorf("result 2 = %+v, want the single send's 400 invalid_argument", res)
			}
			continue
		}
		if res.Error != nil || res.Message == nil || res.Message.ClientID != fmt.Sprint("b", i) {
			t.Errorf("result %d = %+v, want the stored message", i, res)
		}
	}
	again := send(batch) // the response was lost: the client sends it again
	for i, res := range again.Results {
		if i != 2 && (res.Message == nil || res.Message.Index != first.Results[i].Message.Index) {
			t.Errorf("retry result %d = %+v, want the first copy (index %d)", i, res, first.Results[i].Message.Index)
		}
	}
	var got []string
	for _, m := range u.messages(c.ID) {
		if m.UserType == api.UserEndUser {
			got = append(got, m.Content)
		}
	}
	if want := "[batch 0 batch 1 batch 3 batch 4]"; fmt.Sprint(got) != want {
		t.Fatalf("platform holds %q, want %s once each, in order", got, want)
	}

	u.do("POST", path(api.RouteChatFinish, c.ID), nil).wantOK(t)
	late := send(api.SendMessagesRequest{Messages: []api.SendMessageRequest{batch.Messages[0], {ClientID: "late", Type: api.MsgText, Content: "too late"}}})
	if late.Results[0].Message == nil || late.Results[0].Message.Index != first.Results[0].Message.Index {
		t.Errorf("a retry after the end = %+v, want the first copy", late.Results[0])
	}
	if e := late.Results[1].Error; e == nil || e.Code != api.CodeConflict || late.Results[1].Status != 409 {
		t.Errorf("a new message after the end = %+v, want 409 conflict", late.Results[1])
	}

	for _, n := range []int{0, api.MaxBatchMessages + 1} {
		req := api.SendMessagesRequest{Messages: make([]api.SendMessageRequest, n)}
		for i := range req.Messages {
			req.Messages[i] = api.SendMessageRequest{ClientID: fmt.Sprint("n", i), Content: "x"}
		}
		u.do("POST", path(api.RouteMessageBatch, c.ID), req).wantError(t, api.CodeInvalidArgument)
	}
	p.login("mallory").do("POST", path(api.RouteMessageBatch, c.ID), batch).wantError(t, api.CodeNotFound)
}

// A batch counts against the end user's rate limit as its messages would
// one by one; a batch refused for want of tokens costs one request's token
// (the route's), never its messages'.
func TestSendMessageBatchRateLimit(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) { c.Rates = server.Rates{EndUser: 0.01, EndUserBurst: 20} })
	u := p.login("batcher")
	c := u.createChat(124) // 1 token
	batch := func(from int) api.SendMessagesRequest {
		var b api.SendMessagesRequest
		for i := range 10 {
			b.Messages = append(b.Messages, api.SendMessageRequest{ClientID: fmt.Sprint("r", from+i), Content: fmt.Sprint("m", from+i)})
		}
		return b
	}
	u.do("POST", path(api.RouteMessageBatch, c.ID), batch(0)).wantOK(t) // 11 taken
	res := u.do("POST", path(api.RouteMessageBatch, c.ID), batch(10))   // needs 10, 9 left
	res.wantError(t, api.CodeRateLimited)
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After on a refused batch")
	}
	for i := range 8 { // the refused batch took one, as a request
		u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{ClientID: fmt.Sprint("s", i), Content: "one"}).wantOK(t)
	}
	u.do("POST", path(api.RouteMessages, c.ID), api.SendMessageRequest{Content: "one too many"}).wantError(t, api.CodeRateLimited)
}
