package api_test

import (
	"sync"
	"testing"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"
)

// messageEvent is a realtime frame as the platform sends it for an agent's
// text message with quick replies and metadata.
const messageEvent = `{"type":"message","chat_id":4711,"message":{"$index":42,"$sid":"ses-9f8e7d","$timestamp":"2026-11-22T23:39:02.123Z","$userType":"agent","$userId":17,"type":"text","content":"Hello! How can I help you today? Pick one of the options below or type your question.","signature":"c2lnbmF0dXJl","client_id":"c-0001","metadata":{"lang":"en","tags":["billing","priority"]},"quick_replies":[{"title":"Billing","payload":"billing"},{"title":"Support","payload":"support"}],"user_name":"Ada"},"unknown_field":{"a":[1,2,3]}}`

// BenchmarkMessageEventRoundTrip decodes a realtime message frame and
// encodes its message again, the client's per-message work before the
// chat.message listeners. Run it under wasm too (GOOS=js GOARCH=wasm with
// go_js_wasm_exec on PATH) to compare build flags.
func BenchmarkMessageEventRoundTrip(b *testing.B) {
	data := []byte(messageEvent)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var ev api.Event
		l := jlexer.Lexer{Data: data}
		ev.UnmarshalEasyJSON(&l)
		if err := l.Error(); err != nil || ev.Message == nil {
			b.Fatalf("decode: %v", err)
		}
		var w jwriter.Writer
		ev.Message.MarshalEasyJSON(&w)
		if _, err := w.BuildBytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMessageEventHandoff adds what the client's event path does
// around the codec: a goroutine handoff over a channel, a map lookup and a
// mutex, so that runtime costs (scheduler, maps, locks) weigh in too.
func BenchmarkMessageEventHandoff(b *testing.B) {
	data := []byte(messageEvent)
	frames := make(chan []byte)
	done := make(chan int, 1)
	var mu sync.Mutex
	seen := map[string]int64{}
	go func() {
		n := 0
		for f := range frames {
			var ev api.Event
			l := jlexer.Lexer{Data: f}
			ev.UnmarshalEasyJSON(&l)
			mu.Lock()
			seen[ev.Message.SID] = ev.Message.Index
			mu.Unlock()
			var w jwriter.Writer
			ev.Message.MarshalEasyJSON(&w)
			b, _ := w.BuildBytes()
			n += len(b)
		}
		done <- n
	}()
	b.ReportAllocs()
	for b.Loop() {
		frames <- data
	}
	close(frames)
	if <-done == 0 {
		b.Fatal("nothing encoded")
	}
}
