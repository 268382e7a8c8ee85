//go:build !(js && wasm)

package sdk_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/server"
)

// wantCode fails unless err is an *api.Error with code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Errorf("%s: error %v, want code %s", what, err, code)
	}
}

func TestCallsAgainstThePlatform(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, _ := newClient(t, p, "caller")
	ctx := ctxT(t)

	call, err := c.CreateCall(ctx, 123, api.CallRequest{PhoneNumber: "+12345678"})
	if err != nil {
		t.Fatalf("CreateCall: %v", err)
	}
	if call.ID == 0 || call.MenuID != 123 || call.Type != api.CallTypeInstant || call.CreatedAt == "" || len(call.Menus) == 0 {
		t.Errorf("instant call %+v", call)
	}
	got, err := c.LoadCall(ctx, call.ID)
	if err != nil || got.ID != call.ID {
		t.Fatalf("LoadCall = %+v, %v", got, err)
	}
	// Only one instant call may be in progress.
	_, err = c.CreateCall(ctx, 123, api.CallRequest{PhoneNumber: "+12345678"})
	wantCode(t, "second instant call", err, api.CodeConflict)
	cancelled, err := c.CancelCall(ctx, call.ID)
	if err != nil || cancelled.Status != api.CallCancelled {
		t.Fatalf("CancelCall = %+v, %v", cancelled, err)
	}
	_, err = c.CancelCall(ctx, call.ID)
	wantCode(t, "cancel twice", err, api.CodeConflict)

	// The older form carries the menu in the data and a boolean permission.
	old, err := c.CreateCall(ctx, 0, api.CallRequest{MenuID: 123, Lang: "en", PhoneNumber: "+1 (234) 567-890", RecordingPermission: api.RecordingGranted})
	if err != nil || !old.RecordingPermitted || old.MenuID != 123 {
		t.Fatalf("older-form call = %+v, %v", old, err)
	}
	if _, err := c.CancelCall(ctx, old.ID); err != nil {
		t.Fatal(err)
	}

	slots, err := c.GetTimeSlots(ctx, 123, "en")
	if err != nil || len(slots) == 0 {
		t.Fatalf("GetTimeSlots = %v, %v", slots, err)
	}
	scheduled, err := c.CreateCall(ctx, 123, api.CallRequest{PhoneNumber: "+12345678", ScheduledAt: slots[0]})
	if err != nil || scheduled.Type != api.CallTypeScheduled || scheduled.Status != api.CallScheduled {
		t.Fatalf("scheduled call = %+v, %v", scheduled, err)
	}
	_, err = c.CreateCall(ctx, 123, api.CallRequest{PhoneNumber: "+12345678", ScheduledAt: "2001-01-01 00:00 +0000"})
	wantCode(t, "a time that is not an offered slot", err, api.CodeInvalidArgument)
	_, err = c.CreateCall(ctx, 123, api.CallRequest{PhoneNumber: "555-1234"})
	wantCode(t, "a number not in E.164 form", err, api.CodeInvalidArgument)

	// Another end user cannot see or cancel the call.
	other, _ := newClient(t, p, "not-the-caller")
	_, err = other.LoadCall(ctx, scheduled.ID)
	wantCode(t, "another user's call", err, api.CodeNotFound)
	_, err = other.CancelCall(ctx, scheduled.ID)
	wantCode(t, "cancel another user's call", err, api.CodeNotFound)
}

func TestFilesAndAttachmentsAgainstThePlatform(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "filer")
	ctx := ctxT(t)
	if _, err := c.CreateChat(ctx, 123, api.ChatRequest{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)

	data := []byte("order 4711\nshipped\n")
	id, err := c.SendFile(ctx, "receipt.txt", "text/plain", data, "my receipt")
	if err != nil || id <= 0 {
		t.Fatalf("SendFile = %d, %v", id, err)
	}
	var fileMsg *api.Message
	rec.waitFor(t, 5*time.Second, "the file message echoed", func() bool {
		for _, m := range rec.messages() {
			if m.File != nil && m.File.Name == "receipt.txt" {
				fileMsg = m
				return true
			}
		}
		return false
	})
	if fileMsg.MediaID == 0 || fileMsg.File.Size != int64(len(data)) || fileMsg.File.Caption != "my receipt" {
		t.Errorf("file message %+v / %+v", fileMsg, fileMsg.File)
	}
	f, err := c.GetMessageAttachment(ctx, fileMsg)
	if err != nil || f == nil || !bytes.Equal(f.Data, data) || f.Name != "receipt.txt" {
		t.Fatalf("GetMessageAttachment = %+v, %v", f, err)
	}
	text := rec.waitMessage(t, "Hi") // the virtual agent's greeting has no file
	if f, err := c.GetMessageAttachment(ctx, text); f != nil || err != nil {
		t.Errorf("GetMessageAttachment of a text message = %+v, %v; want nil, nil", f, err)
	}

	// A prohibited type is the documented soft failure: -1, with the reason.
	id, err = c.SendFileMessage(ctx, "setup.exe", "application/octet-stream", []byte("MZ"))
	if id != -1 {
		t.Errorf("SendFileMessage of an .exe = %d, want -1", id)
	}
	wantCode(t, "prohibited file", err, api.CodeUnsupportedType)

	// Another end user cannot fetch the attachment.
	other, _ := newClient(t, p, "not-the-filer")
	if f, err := other.GetMessageAttachment(ctx, fileMsg); f != nil || err == nil {
		t.Errorf("another user fetched the attachment: %+v, %v", f, err)
	}
}

func TestEmailAgainstThePlatform(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, _ := newClient(t, p, "mailer")
	ctx := ctxT(t)
	res, err := c.CreateEmail(ctx, 123, api.EmailRequest{Name: "Ann", Email: "ann@example.com", Content: "my parcel is late", Lang: "en"},
		[]sdk.File{{Name: "photo.jpg", ContentType: "image/jpeg", Data: []byte{0xff, 0xd8, 0xff, 0xe0, 1, 2, 3}}})
	if err != nil || res.ID == 0 || res.AttachmentCount != 1 || res.Status == "" {
		t.Fatalf("CreateEmail = %+v, %v", res, err)
	}
	_, err = c.CreateEmail(ctx, 123, api.EmailRequest{Email: "ann@example.com", Content: "x"}, []sdk.File{{Name: "run.bat", ContentType: "text/plain", Data: []byte("echo")}})
	wantCode(t, "prohibited attachment", err, api.CodeUnsupportedType)
	_, err = c.CreateEmail(ctx, 123, api.EmailRequest{Email: "not an address", Content: "x"}, nil)
	wantCode(t, "bad address", err, api.CodeInvalidArgument)
	// The older form: menu in the data.
	if res, err := c.CreateEmail(ctx, 0, api.EmailRequest{MenuID: 123, Email: "ann@example.com", Content: "again"}, nil); err != nil || res.AttachmentCount != 0 {
		t.Errorf("older-form CreateEmail = %+v, %v", res, err)
	}
}

func TestTranscriptsAgainstThePlatform(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "reader")
	ctx := ctxT(t)
	chat, err := c.CreateChat(ctx, 123, api.ChatRequest{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	if err := c.SendTextMessage(ctx, "please keep a record"); err != nil {
		t.Fatal(err)
	}
	rec.waitMessage(t, "please keep a record")

	if err := c.SendChatTranscripts(ctx, []string{"name1@example.com", "name2@example.com"}); err != nil {
		t.Errorf("SendChatTranscripts: %v", err)
	}
	wantCode(t, "bad address", c.SendChatTranscripts(ctx, []string{"nope"}), api.CodeInvalidArgument)
	wantCode(t, "no address", c.SendChatTranscripts(ctx, nil), api.CodeInvalidArgument)

	gen, err := c.DownloadChatTranscript(ctx)
	if err != nil || gen.ChatTranscriptID == 0 {
		t.Fatalf("DownloadChatTranscript = %+v, %v", gen, err)
	}
	var st *sdk.PdfStatus
	rec.waitFor(t, 10*time.Second, "the PDF to be ready", func() bool {
		st, err = c.GetPdfStatus(ctx, gen.ChatTranscriptID)
		return err == nil && st.Headers[api.HeaderTranscriptStatus] == api.TranscriptReady
	})
	if !bytes.HasPrefix(st.Body, []byte("%PDF")) {
		t.Errorf("ready transcript body starts %q, want a PDF", st.Body[:min(8, len(st.Body))])
	}
	other, _ := newClient(t, p, "not-the-reader")
	_, err = other.GetPdfStatus(ctx, gen.ChatTranscriptID)
	wantCode(t, "another user's transcript", err, api.CodeNotFound)
	_ = chat
}

func TestCobrowseAgainstThePlatform(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "sharer")
	ctx := ctxT(t)
	if _, err := c.CreateChat(ctx, 123, api.ChatRequest{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	code, err := c.CreateCobrowseCode(ctx, "en", map[string]string{"page": "/checkout"})
	if err != nil || !regexp.MustCompile(`^\d{6}$`).MatchString(code) {
		t.Fatalf("CreateCobrowseCode = %q, %v", code, err)
	}
	s, err := c.StartCobrowse(ctx, "agent Alice")
	if err != nil || s.Code != code || s.Status != api.CobrowseActive {
		t.Fatalf("StartCobrowse = %+v, %v", s, err)
	}
	rec.waitFor(t, 5*time.Second, "a cobrowse event", func() bool {
		return rec.count(sdk.EventCobrowseLoaded)+rec.count(sdk.EventCobrowseUpdated) > 0
	})
	// The documented soft failure: an empty code, with the reason.
	code, err = c.CreateCobrowseCode(ctx, "xx", nil)
	if code != "" || err == nil {
		t.Errorf("CreateCobrowseCode with a bad language = %q, %v; want \"\" and an error", code, err)
	}
}

func TestResumeAfterDismissal(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{DismissAfter: 300 * time.Millisecond, SweepInterval: 50 * time.Millisecond})
	c, rec := newClient(t, p, "idler")
	ctx := ctxT(t)
	chat, err := c.CreateChat(ctx, 123, api.ChatRequest{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatDismissed, 1)
	if s := c.CurrentChat().Status; s != api.StatusVADismissed {
		t.Fatalf("status after idling with the virtual agent: %s", s)
	}
	resumed, err := c.ResumeChat(ctx, chat.ID)
	if err != nil || resumed.Status != api.StatusVAAssigned {
		t.Fatalf("ResumeChat = %+v, %v", resumed, err)
	}
	if err := c.SendTextMessage(ctx, "back again"); err != nil {
		t.Fatal(err)
	}
	rec.waitMessage(t, "back again")
}

func TestTakeoverStepsUpToAnotherIdentity(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	u := &user{id: "anonymous-" + strings.ToLower(t.Name())}
	c, rec := newClient(t, p, u.id, withAuth(u.auth(t)))
	ctx := ctxT(t)
	chat, err := c.CreateChat(ctx, 123, api.ChatRequest{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	if err := c.SendTextMessage(ctx, "before sign-in"); err != nil {
		t.Fatal(err)
	}
	rec.waitMessage(t, "before sign-in")

	u.set("customer-42")
	who, err := c.Takeover(ctx)
	if err != nil || who.Identifier != "customer-42" {
		t.Fatalf("Takeover = %+v, %v", who, err)
	}
	if s, ok := c.Session(); !ok || s.EndUser.Identifier != "customer-42" || s.SessionToken != "" {
		t.Errorf("session after takeover: %+v (the token must stay inside the communicator)", s)
	}
	if err := c.SendTextMessage(ctx, "after sign-in"); err != nil {
		t.Fatal(err)
	}
	rec.waitMessage(t, "after sign-in")
	got, err := c.LoadChat(ctx, chat.ID)
	if err != nil || got.EndUser.Identifier != "customer-42" {
		t.Errorf("the chat after takeover: %+v, %v", got, err)
	}
}

func TestUnreadCount(t *testing.T) {
	t.Parallel()
	p := newPlatform(t, server.Config{})
	c, rec := newClient(t, p, "unread")
	ctx := ctxT(t)
	chat, err := c.CreateChat(ctx, 123, api.ChatRequest{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	rec.waitEvent(t, sdk.EventChatConnected, 1)
	greeting := rec.waitMessage(t, "Hi")
	for _, s := range []string{"one", "two", "three"} {
		agentSay(t, p, chat.ID, 1, s)
	}
	three := rec.waitMessage(t, "three")
	if n := c.UnreadCount(); n < 4 {
		t.Errorf("UnreadCount = %d with the greeting and three agent messages unread", n)
	}
	c.MarkRead(greeting.Index)
	before := c.UnreadCount()
	c.MarkRead(three.Index)
	if n := c.UnreadCount(); n != 0 || before < 3 {
		t.Errorf("UnreadCount after marking the greeting read = %d, after the last = %d; want ≥3 then 0", before, n)
	}
	// The end user's own messages never count as unread.
	if err := c.SendTextMessage(ctx, "mine"); err != nil {
		t.Fatal(err)
	}
	rec.waitMessage(t, "mine")
	if n := c.UnreadCount(); n != 0 {
		t.Errorf("UnreadCount after sending my own message = %d, want 0", n)
	}
}
