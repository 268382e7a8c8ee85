package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ccaip/headless-go/server"
)

// localPlatform is what the kit controls of its own platform: the clock
// (a fake that runs with real time from an offset the page moves, so that
// dismissal and the chat time limit happen in seconds) and agent 1,
// played through the agent console API. Another platform has neither; the
// examples that need them are not run there.
type localPlatform struct {
	url    string
	offset atomic.Int64 // nanoseconds ahead of real time

	mu    sync.Mutex
	token string // agent 1's console session
}

func (lp *localPlatform) now() time.Time { return time.Now().Add(time.Duration(lp.offset.Load())) }

// control serves POST /parity/local: {do: "advance", seconds} moves the
// clock; {do: "accept" | "say", chat} has agent 1 take the chat or write;
// {do: "end-cobrowse", id} ends a screen-share session (REST API).
func (lp *localPlatform) control(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Do      string `json:"do"`
		Seconds int64  `json:"seconds"`
		Chat    int64  `json:"chat"`
		ID      int64  `json:"id"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<10)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var err error
	switch req.Do {
	case "advance":
		lp.offset.Add(int64(time.Duration(req.Seconds) * time.Second))
	case "accept":
		err = lp.agent("POST", fmt.Sprintf("/chats/%d/accept", req.Chat), nil)
	case "say":
		err = lp.agent("POST", fmt.Sprintf("/chats/%d/messages", req.Chat), map[string]string{"type": "text", "content": "Hello, this is your agent."})
	case "end-cobrowse":
		err = lp.call("POST", fmt.Sprintf("/apps/api/v1/cobrowse/%d/end", req.ID), struct{}{}, "", nil)
	default:
		err = fmt.Errorf("unknown control %q", req.Do)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte("{}"))
}

// agent calls the agent console API as agent 1, signing in once.
func (lp *localPlatform) agent(method, path string, body any) error {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	if lp.token == "" {
		var s server.AgentSession
		if err := lp.call("POST", "/agent/v1/session", map[string]int{"agent_id": 1}, "", &s); err != nil {
			return fmt.Errorf("agent sign-in: %w", err)
		}
		lp.token = s.Token
	}
	return lp.call(method, "/agent/v1"+path, body, lp.token, nil)
}

func (lp *localPlatform) call(method, path string, body any, token string, out any) error {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, lp.url+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else {
		req.SetBasicAuth(server.DemoTenant, server.DemoAPIToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	rb, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, rb)
	}
	if out != nil {
		return json.Unmarshal(rb, out)
	}
	return nil
}
