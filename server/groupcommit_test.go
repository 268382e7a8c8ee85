package server_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// TestConcurrentWritesAreIsolated: concurrent writes share transactions
// (group commit), but each stands alone. Valid agent messages, messages
// that fail after their write began (an agent not on the chat would be
// assigned first, then the message is refused) and messages to a finished
// chat race each other; every valid one is stored once and in one $index
// order, and nothing of a failed one is: no transfer, no member event.
func TestConcurrentWritesAreIsolated(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) { c.RESTRate = 1e9 })
	u := p.login("batch-customer")
	open := u.createChat(124)
	p.agentSays(open.ID, 1, "agent 1 here")
	other := p.login("batch-finished")
	finished := other.createChat(124)
	other.do("POST", path(api.RouteChatFinish, finished.ID), nil).wantOK(t)

	tooMany := make([]map[string]string, 26)
	for i := range tooMany {
		tooMany[i] = map[string]string{"title": fmt.Sprint("b", i), "payload": "p"}
	}
	const n = 150
	type result struct{ kind, status int }
	results := make(chan result, 3*n)
	var wg sync.WaitGroup
	post := func(kind int, chatID int64, body map[string]any) {
		wg.Go(func() {
			res := p.rest("POST", fmt.Sprintf("%s/chats/%d/message", server.RESTPrefix, chatID), body)
			results <- result{kind, res.status}
		})
	}
	for i := range n {
		post(0, open.ID, map[string]any{"from_user_id": 1, "message": map[string]any{"type": "text", "content": fmt.Sprint("v-", i)}})
		post(1, open.ID, map[string]any{"from_user_id": 2, "message": map[string]any{"type": "inline_button", "buttons": tooMany}})
		post(2, finished.ID, map[string]any{"from_user_id": 1, "message": map[string]any{"type": "text", "content": "late"}})
	}
	wg.Wait()
	close(results)
	want := []int{200, 400, 409}
	for r := range results {
		if r.status != want[r.kind] {
			t.Errorf("write of kind %d answered %d, want %d", r.kind, r.status, want[r.kind])
		}
	}

	ms := u.messages(open.ID)
	seen := map[string]int{}
	for i, m := range ms {
		if i > 0 && m.Index != ms[i-1].Index+1 {
			t.Errorf("$index %d after %d", m.Index, ms[i-1].Index)
		}
		if strings.HasPrefix(m.Content, "v-") {
			seen[m.Content]++
		}
		if m.UserType == api.UserAgent && m.UserID == 2 {
			t.Errorf("a refused write left %+v", m)
		}
	}
	for i := range n {
		if c := seen[fmt.Sprint("v-", i)]; c != 1 {
			t.Errorf("message v-%d stored %d times", i, c)
		}
	}
	var chat api.Chat
	p.rest("GET", fmt.Sprintf("%s/chats/%d", server.RESTPrefix, open.ID), nil).decode(t, &chat)
	if chat.Agent == nil || chat.Agent.ID != 1 {
		t.Errorf("the chat's agent is %+v, want agent 1: a refused write transferred it", chat.Agent)
	}
	for _, m := range other.messages(finished.ID) {
		if m.Content == "late" {
			t.Errorf("a message to the finished chat was stored: %+v", m)
		}
	}
}
