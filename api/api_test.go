package api_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"

	"github.com/ccaip/headless-go/api"
)

// decode runs a type's easyjson decoder, as the client does.
func decode(t *testing.T, data string, v interface{ UnmarshalEasyJSON(*jlexer.Lexer) }) error {
	t.Helper()
	l := jlexer.Lexer{Data: []byte(data)}
	v.UnmarshalEasyJSON(&l)
	return l.Error()
}

// encode runs a type's easyjson encoder.
func encode(t *testing.T, v interface{ MarshalEasyJSON(*jwriter.Writer) }) string {
	t.Helper()
	var w jwriter.Writer
	v.MarshalEasyJSON(&w)
	b, err := w.BuildBytes()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The current documents send recording_permission as a string; the older
// ones as a boolean. Both must decode.
func TestCallRequestAcceptsBothRecordingPermissionForms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		json string
		want api.RecordingPermission
	}{
		{`{"phone_number":"+12345678","recording_permission":"recording_permission_granted"}`, api.RecordingGranted},
		{`{"phone_number":"+12345678","recording_permission":"recording_permission_not_asked"}`, api.RecordingNotAsked},
		{`{"phone_number":"+12345678","recording_permission":true}`, api.RecordingGranted},
		{`{"phone_number":"+12345678","recording_permission":false}`, api.RecordingDenied},
		{`{"phone_number":"+12345678","recording_permission":null}`, ""},
		{`{"phone_number":"+12345678"}`, ""},
	} {
		var req api.CallRequest
		if err := decode(t, tc.json, &req); err != nil {
			t.Errorf("%s: %v", tc.json, err)
			continue
		}
		if req.RecordingPermission != tc.want {
			t.Errorf("%s: recording_permission %q, want %q", tc.json, req.RecordingPermission, tc.want)
		}
		if !req.RecordingPermission.Valid() {
			t.Errorf("%s: decoded value %q is not Valid", tc.json, req.RecordingPermission)
		}
	}
	if api.RecordingPermission("maybe").Valid() {
		t.Error(`"maybe" should not be a valid recording permission`)
	}
	var req api.CallRequest
	if err := decode(t, `{"recording_permission":12}`, &req); err == nil && req.RecordingPermission.Valid() {
		t.Errorf("a number decoded to the valid permission %q", req.RecordingPermission)
	}
}

// Custom data values, metadata and structured content are kept byte for byte.
func TestRawValuesPassThroughUnchanged(t *testing.T) {
	t.Parallel()
	in := `{"menu_id":123,"lang":"en","custom_data":{"unsigned":{"plan":{"label":"Plan","value":{"tier":"gold","seats":[1,2]}}}}}`
	var req api.ChatRequest
	if err := decode(t, in, &req); err != nil {
		t.Fatal(err)
	}
	got := string(req.CustomData.Unsigned["plan"].Value)
	if got != `{"tier":"gold","seats":[1,2]}` {
		t.Errorf("custom data value %s changed on the way in", got)
	}
	out := encode(t, &req)
	if !strings.Contains(out, `"value":{"tier":"gold","seats":[1,2]}`) {
		t.Errorf("custom data value changed on the way out: %s", out)
	}
	if (api.Raw(nil)).IsZero() != true || (api.Raw("null")).IsZero() != true || (api.Raw(`0`)).IsZero() {
		t.Error("Raw.IsZero: nil and null are zero, 0 is not")
	}
}

// Field names are the documented ones, $-prefixed where the docs say so.
func TestMessageUsesDocumentedFieldNames(t *testing.T) {
	t.Parallel()
	m := api.Message{Index: 7, SID: "s7", Timestamp: "2026-11-22T10:00:00Z", UserType: api.UserAgent, UserID: 3, Type: api.MsgText, Content: "hi"}
	out := encode(t, &m)
	for _, want := range []string{`"$index":7`, `"$sid":"s7"`, `"$timestamp":"2026-11-22T10:00:00Z"`, `"$userType":"agent"`, `"$userId":3`, `"type":"text"`, `"content":"hi"`, `"signature":""`} {
		if !strings.Contains(out, want) {
			t.Errorf("encoded message %s lacks %s", out, want)
		}
	}
	var back api.Message
	if err := decode(t, out, &back); err != nil {
		t.Fatal(err)
	}
	if back.Index != 7 || back.UserType != api.UserAgent || back.Content != "hi" {
		t.Errorf("round trip changed the message: %+v", back)
	}
	// Unknown keys are ignored, as the platform's own API promises.
	if err := decode(t, `{"$index":1,"something_new":{"a":[1,2]},"type":"text"}`, &back); err != nil {
		t.Errorf("unknown key: %v", err)
	}
	if err := decode(t, `{"$index":"one"}`, &back); err == nil {
		t.Error("a string $index decoded without error")
	}
}

func TestErrorTaxonomy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code      string
		status    int
		retryable bool
	}{
		{api.CodeBadRequest, 400, false},
		{api.CodeInvalidArgument, 400, false},
		{api.CodeUnauthorized, 401, false},
		{api.CodeSessionExpired, 401, true},
		{api.CodeForbidden, 403, false},
		{api.CodeNotFound, 404, false},
		{api.CodeNoActiveChat, 409, false},
		{api.CodeChatAlreadyActive, 409, false},
		{api.CodeTooLarge, 413, false},
		{api.CodeUnsupportedType, 415, false},
		{api.CodeRateLimited, 429, true},
		{api.CodeInternal, 500, false},
		{api.CodeUnavailable, 503, true},
		{api.CodeTimeout, 504, true},
	} {
		if got := api.StatusFor(tc.code); got != tc.status {
			t.Errorf("StatusFor(%s) = %d, want %d", tc.code, got, tc.status)
		}
		e := api.Errorf(tc.code, "x %d", 1)
		if e.Retryable != tc.retryable {
			t.Errorf("%s: retryable %v, want %v", tc.code, e.Retryable, tc.retryable)
		}
		if body := e.Body(); body.Error.Code != tc.code || body.Error.Message != "x 1" {
			t.Errorf("%s: body %+v", tc.code, body)
		}
	}
	wrapped := fmt.Errorf("send: %w", api.Errorf(api.CodeRateLimited, "slow down"))
	if !errors.Is(wrapped, &api.Error{Code: api.CodeRateLimited}) {
		t.Error("errors.Is does not match a wrapped *api.Error by code")
	}
	if errors.Is(wrapped, &api.Error{Code: api.CodeNotFound}) {
		t.Error("errors.Is matched a different code")
	}
	var e *api.Error
	if !errors.As(wrapped, &e) || e.Message != "slow down" {
		t.Errorf("errors.As: %v", e)
	}
}

func TestStatusPredicates(t *testing.T) {
	t.Parallel()
	ongoing := map[string]bool{api.StatusVAAssigned: true, api.StatusQueued: true, api.StatusAssigned: true}
	resumable := map[string]bool{api.StatusVADismissed: true, api.StatusDismissed: true}
	for _, s := range []string{api.StatusVAAssigned, api.StatusQueued, api.StatusAssigned, api.StatusVADismissed, api.StatusDismissed, api.StatusDeflected, api.StatusTimeout, api.StatusFinished, api.StatusDestroyed} {
		if api.IsOngoing(s) != ongoing[s] {
			t.Errorf("IsOngoing(%s) = %v", s, api.IsOngoing(s))
		}
		if api.IsResumable(s) != resumable[s] {
			t.Errorf("IsResumable(%s) = %v", s, api.IsResumable(s))
		}
	}
}
