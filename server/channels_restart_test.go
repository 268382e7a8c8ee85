package server_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// TestRestartKeepsChannels extends TestRestartKeepsEverything to slice 2:
// calls (with their lifecycle), files, emails, transcripts, cobrowse
// sessions and attached uploads survive a restart.
func TestRestartKeepsChannels(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, func(c *server.Config) { c.CallStep = time.Hour })
	u := p.login("durable")
	chat := u.createChat(124)
	res := u.do("POST", api.RouteCalls, map[string]any{"menu_id": 123, "phone_number": "+12345678"})
	res.wantOK(t)
	var call api.CallResponse
	res.decode(t, &call)
	res = u.upload(path(api.RouteFiles, chat.ID), field("client_id", "f"), file("file", "a.txt", "text/plain", []byte("kept")))
	res.wantOK(t)
	var fm api.FileMessageResponse
	res.decode(t, &fm)
	u.do("POST", api.RouteEmails, api.EmailRequest{MenuID: 124, Email: "d@example.com", Content: "x"}).wantOK(t)
	res = u.do("POST", path(api.RouteTranscriptPDF, chat.ID), nil)
	res.wantOK(t)
	var g api.GenerateTranscriptResponse
	res.decode(t, &g)
	eventually(t, "the PDF", func() bool {
		return u.do("GET", path(api.RouteTranscript, g.ChatTranscriptID), nil).header.Get(api.HeaderTranscriptStatus) == api.TranscriptReady
	})
	res = u.do("POST", api.RouteCobrowseSessions, nil)
	res.wantOK(t)
	var cs api.CobrowseSession
	res.decode(t, &cs)
	ps := p.presign(chat.ID, "photos")

	p.restart()

	// The call continues its lifecycle where it was, from the database.
	if got := u.call(call.ID); got.Status != api.CallQueued || got.PhoneNumber != "+12345678" {
		t.Fatalf("call after restart %+v", got)
	}
	dl := p.get(path(api.RouteMedia, fm.MediaID), map[string]string{"Authorization": "Bearer " + u.token})
	dl.wantOK(t)
	if string(dl.body) != "kept" {
		t.Fatalf("file after restart %q", dl.body)
	}
	res = u.upload(path(api.RouteFiles, chat.ID), field("client_id", "f"), file("file", "a.txt", "text/plain", []byte("kept")))
	res.wantOK(t)
	var again api.FileMessageResponse
	res.decode(t, &again)
	if again.MediaID != fm.MediaID {
		t.Fatalf("idempotent upload after restart made media %d", again.MediaID)
	}
	pdf := u.do("GET", path(api.RouteTranscript, g.ChatTranscriptID), nil)
	if pdf.header.Get(api.HeaderTranscriptStatus) != api.TranscriptReady || !bytes.HasPrefix(pdf.body, []byte("%PDF-")) {
		t.Fatalf("transcript after restart %v", pdf.header)
	}
	res = p.rest("GET", server.RESTPrefix+"/cobrowse/"+jsonString(cs.ID), nil)
	res.wantOK(t)
	var cs2 api.CobrowseSession
	res.decode(t, &cs2)
	if cs2.Code != cs.Code || cs2.Status != api.CobrowseActive {
		t.Fatalf("cobrowse after restart %+v", cs2)
	}
	// An upload policy issued before the restart still works after it (the
	// test server's port changed, so the URL is rebuilt).
	ps.URL = p.ts.URL + "/media/upload"
	if r := p.postUpload(ps, "image/jpeg", jpeg); r.status != 201 {
		t.Fatalf("presigned upload after restart: %d %s", r.status, r.body)
	}
	if len(p.outbox()) != 1 {
		t.Fatal("email lost")
	}
}
