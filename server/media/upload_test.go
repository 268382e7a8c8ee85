package media_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/media"
)

var start = time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)

// clock is a fake clock safe for concurrent use.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Set(t time.Time)         { c.ns.Store(t.UnixNano()) }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// rig is an Uploader served over loopback with its own store and clock.
type rig struct {
	up    *media.Uploader
	store *media.Store
	clock *clock
	srv   *httptest.Server
}

func newRig(t *testing.T) *rig {
	t.Helper()
	store, err := media.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	c := &clock{}
	c.Set(start)
	up := &media.Uploader{Store: store, Secret: []byte("upload-signing-key"), Now: c.Now}
	mux := http.NewServeMux()
	mux.Handle("/upload", up)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	up.URL = srv.URL + "/upload"
	return &rig{up: up, store: store, clock: c, srv: srv}
}

func jpeg(n int) []byte {
	b := make([]byte, n)
	copy(b, []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F'})
	for i := 10; i < n; i++ {
		b[i] = byte(i)
	}
	return b
}

func mp4(n int) []byte {
	b := make([]byte, n)
	copy(b, []byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'})
	return b
}

var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

// file is the file part of an upload form.
type file struct {
	name, contentType string
	data              []byte
}

// form encodes fields (in sorted order) then the file, as a browser posts a
// presigned upload. A nil file leaves the part out.
func form(fields map[string]string, f *file) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w.WriteField(k, fields[k])
	}
	if f != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+f.name+`"`)
		if f.contentType != "" {
			h.Set("Content-Type", f.contentType)
		}
		p, _ := w.CreatePart(h)
		p.Write(f.data)
	}
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func post(t *testing.T, client *http.Client, url, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	resp, err := client.Post(url, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (r *rig) presign(t *testing.T, kind media.Kind) media.Presigned {
	t.Helper()
	p, err := r.up.Presign(kind, "chats/42", r.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func clone(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// errorOf decodes an api.ErrorResponse body.
func errorOf(t *testing.T, b []byte) api.ErrorBody {
	t.Helper()
	var e struct {
		Error api.ErrorBody `json:"error"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("error body %q: %v", b, err)
	}
	return e.Error
}

func TestPresignShape(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p := r.presign(t, media.KindPhoto)
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		URL    string            `json:"url"`
		Fields map[string]string `json:"fields"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.URL != r.srv.URL+"/upload" {
		t.Errorf("url = %q", doc.URL)
	}
	for _, f := range []string{"key", "success_action_status", "Content-Type", "Cache-Control", "acl", "policy",
		"x-amz-credential", "x-amz-algorithm", "x-amz-date", "x-amz-signature"} {
		if doc.Fields[f] == "" {
			t.Errorf("field %s missing", f)
		}
	}
	if !strings.HasPrefix(doc.Fields["key"], "chats/42/") || !strings.HasSuffix(doc.Fields["key"], ".jpg") {
		t.Errorf("key = %q", doc.Fields["key"])
	}
	if doc.Fields["Content-Type"] != "image/jpeg" || doc.Fields["x-amz-algorithm"] != "AWS4-HMAC-SHA256" || doc.Fields["x-amz-date"] != "20260203T100000Z" {
		t.Errorf("fields = %v", doc.Fields)
	}
	pol, err := base64.StdEncoding.DecodeString(doc.Fields["policy"])
	if err != nil {
		t.Fatal(err)
	}
	var policy struct {
		Expiration string `json:"expiration"`
		Conditions []any  `json:"conditions"`
	}
	if err := json.Unmarshal(pol, &policy); err != nil {
		t.Fatal(err)
	}
	if policy.Expiration != "2026-02-03T10:05:00.000Z" {
		t.Errorf("expiration = %q, want 5 minutes after issue", policy.Expiration)
	}
	if !strings.Contains(string(pol), `["content-length-range",1,2097152]`) || !strings.Contains(string(pol), `["eq","$key","`+doc.Fields["key"]+`"]`) {
		t.Errorf("policy = %s", pol)
	}
	if p2 := r.presign(t, media.KindPhoto); p2.Fields["key"] == p.Fields["key"] {
		t.Error("two presigns share a key")
	}
	if _, err := r.up.Presign("audio", "x", start); !isCode(err, api.CodeInvalidArgument) {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestUploadOK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind media.Kind
		file file
	}{
		{media.KindPhoto, file{"me.jpg", "image/jpeg", jpeg(2 << 20)}},         // exactly the limit
		{media.KindPhoto, file{"me.jpg", "application/octet-stream", jpeg(3)}}, // smallest JPEG header
		{media.KindPhoto, file{"blob", "", jpeg(1000)}},
		{media.KindVideo, file{"clip.mp4", "video/mp4", mp4(20 << 20)}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.file.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			var uploaded atomic.Value
			r.up.OnUpload = func(i media.Info) { uploaded.Store(i) }
			p := r.presign(t, tt.kind)
			ct, body := form(p.Fields, &tt.file)
			resp, b := post(t, r.srv.Client(), p.URL, ct, body)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("status %d: %s", resp.StatusCode, b)
			}
			var got struct {
				Key  string `json:"key"`
				Size int64  `json:"size"`
			}
			if err := json.Unmarshal(b, &got); err != nil || got.Key != p.Fields["key"] || got.Size != int64(len(tt.file.data)) {
				t.Fatalf("answer %s (%v)", b, err)
			}
			f, info, err := r.store.Open(got.Key)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			data, _ := io.ReadAll(f)
			if !bytes.Equal(data, tt.file.data) {
				t.Fatal("stored bytes differ")
			}
			if info.ContentType != p.Fields["Content-Type"] || info.Name != tt.file.name || info.Size != int64(len(data)) {
				t.Errorf("info = %+v", info)
			}
			if i, _ := uploaded.Load().(media.Info); i.Key != got.Key {
				t.Errorf("OnUpload got %+v", i)
			}
		})
	}
}

func TestUploadSuccessStatusIsSigned(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p := r.presign(t, media.KindPhoto)
	// success_action_status is part of the policy: a client cannot change
	// the answer it gets.
	f := clone(p.Fields)
	f["success_action_status"] = "204"
	ct, body := form(f, &file{"a.jpg", "image/jpeg", jpeg(10)})
	resp, b := post(t, r.srv.Client(), p.URL, ct, body)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(errorOf(t, b).Message, "success_action_status") {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
}

func TestUploadRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kind    media.Kind
		advance time.Duration
		mod     func(f map[string]string)
		file    *file
		status  int
		code    string
		message string
	}{
		{name: "expired policy", advance: 5*time.Minute + time.Second, status: 403, code: api.CodeForbidden, message: "expired"},
		{name: "expired exactly at expiration", advance: 5 * time.Minute, status: 403, code: api.CodeForbidden, message: "expired"},
		{name: "tampered policy", mod: func(f map[string]string) {
			doc, _ := base64.StdEncoding.DecodeString(f["policy"])
			f["policy"] = base64.StdEncoding.EncodeToString(bytes.Replace(doc, []byte("2097152"), []byte("9097152"), 1))
		}, status: 403, code: api.CodeForbidden, message: "signature does not match"},
		{name: "tampered signature", mod: func(f map[string]string) {
			s := []byte(f["x-amz-signature"])
			if s[0] == 'a' {
				s[0] = 'b'
			} else {
				s[0] = 'a'
			}
			f["x-amz-signature"] = string(s)
		}, status: 403, code: api.CodeForbidden, message: "signature does not match"},
		{name: "signature not hex", mod: func(f map[string]string) { f["x-amz-signature"] = "zz" }, status: 403, code: api.CodeForbidden, message: "signature"},
		{name: "missing policy", mod: func(f map[string]string) { delete(f, "policy") }, status: 403, code: api.CodeForbidden, message: "no policy"},
		{name: "missing signature", mod: func(f map[string]string) { delete(f, "x-amz-signature") }, status: 403, code: api.CodeForbidden, message: "x-amz-signature"},
		{name: "other algorithm", mod: func(f map[string]string) { f["x-amz-algorithm"] = "HMAC-MD5" }, status: 403, code: api.CodeForbidden, message: "x-amz-algorithm"},
		{name: "key mismatch", mod: func(f map[string]string) { f["key"] = "chats/43/evil.jpg" }, status: 403, code: api.CodeForbidden, message: "key"},
		{name: "extra field", mod: func(f map[string]string) { f["x-amz-meta-owner"] = "me" }, status: 403, code: api.CodeForbidden, message: "not allowed"},
		{name: "field repeated in another case", mod: func(f map[string]string) { f["KEY"] = "chats/43/evil.jpg" }, status: 400, code: api.CodeBadRequest, message: "repeated"},
		{name: "wrong content type field", mod: func(f map[string]string) { f["Content-Type"] = "image/png" }, status: 415, code: api.CodeUnsupportedType, message: "image/png"},
		{name: "wrong file part type", file: &file{"a.mp4", "video/mp4", jpeg(100)}, status: 415, code: api.CodeUnsupportedType, message: "video/mp4"},
		{name: "content sniff: PNG as JPEG", file: &file{"a.jpg", "image/jpeg", png}, status: 415, code: api.CodeUnsupportedType, message: "not a JPEG"},
		{name: "content sniff: JPEG as MP4", kind: media.KindVideo, file: &file{"a.mp4", "video/mp4", jpeg(100)}, status: 415, code: api.CodeUnsupportedType, message: "not an MP4"},
		{name: "oversized photo", file: &file{"big.jpg", "image/jpeg", jpeg(2<<20 + 1)}, status: 413, code: api.CodeTooLarge, message: "2 MB"},
		{name: "oversized video", kind: media.KindVideo, file: &file{"big.mp4", "video/mp4", mp4(20<<20 + 1)}, status: 413, code: api.CodeTooLarge, message: "20 MB"},
		{name: "empty file", file: &file{"a.jpg", "image/jpeg", nil}, status: 400, code: api.CodeInvalidArgument, message: "empty"},
		{name: "missing file", file: &file{}, status: 400, code: api.CodeBadRequest, message: `no "file" part`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			kind := tt.kind
			if kind == "" {
				kind = media.KindPhoto
			}
			p := r.presign(t, kind)
			fields := clone(p.Fields)
			if tt.mod != nil {
				tt.mod(fields)
			}
			f := tt.file
			if f == nil {
				f = &file{"me.jpg", "image/jpeg", jpeg(1000)}
			} else if f.name == "" && f.data == nil {
				f = nil
			}
			r.clock.Advance(tt.advance)
			ct, body := form(fields, f)
			resp, b := post(t, r.srv.Client(), p.URL, ct, body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
			e := errorOf(t, b)
			if e.Code != tt.code || !strings.Contains(e.Message, tt.message) {
				t.Fatalf("error %+v, want %s containing %q", e, tt.code, tt.message)
			}
			if _, err := r.store.Stat(p.Fields["key"]); !isCode(err, api.CodeNotFound) {
				t.Errorf("a refused upload was stored (Stat: %v)", err)
			}
		})
	}
}

func TestUploadJustBeforeExpiry(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p := r.presign(t, media.KindPhoto)
	r.clock.Advance(5*time.Minute - time.Millisecond)
	ct, body := form(p.Fields, &file{"a.jpg", "image/jpeg", jpeg(10)})
	if resp, b := post(t, r.srv.Client(), p.URL, ct, body); resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
}

func TestSecondUploadToSameKey(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p := r.presign(t, media.KindPhoto)
	first := jpeg(100)
	ct, body := form(p.Fields, &file{"a.jpg", "image/jpeg", first})
	if resp, b := post(t, r.srv.Client(), p.URL, ct, body); resp.StatusCode != http.StatusCreated {
		t.Fatalf("first upload: %d %s", resp.StatusCode, b)
	}
	ct, body = form(p.Fields, &file{"b.jpg", "image/jpeg", jpeg(200)})
	resp, b := post(t, r.srv.Client(), p.URL, ct, body)
	if resp.StatusCode != http.StatusConflict || errorOf(t, b).Code != api.CodeConflict {
		t.Fatalf("second upload: %d %s", resp.StatusCode, b)
	}
	info, err := r.store.Stat(p.Fields["key"])
	if err != nil || info.Size != int64(len(first)) || info.Name != "a.jpg" {
		t.Fatalf("first file was replaced: %+v %v", info, err)
	}
}

func TestUploadBadRequests(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p := r.presign(t, media.KindPhoto)
	tests := []struct {
		name        string
		method      string
		contentType string
		body        []byte
		status      int
	}{
		{"GET", http.MethodGet, "", nil, http.StatusMethodNotAllowed},
		{"JSON body", http.MethodPost, "application/json", []byte(`{"key":"x"}`), http.StatusBadRequest},
		{"broken multipart", http.MethodPost, "multipart/form-data; boundary=xyz", []byte("--xyz\r\nnonsense"), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(tt.method, p.URL, bytes.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := r.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || errorOf(t, b).Code == "" {
				t.Fatalf("status %d: %s", resp.StatusCode, b)
			}
		})
	}
}

func TestVerifyDirect(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	p := r.presign(t, media.KindVideo)
	pol, err := r.up.Verify(p.Fields, start.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if pol.Key != p.Fields["key"] || pol.ContentType != "video/mp4" || pol.MinBytes != 1 || pol.MaxBytes != 20<<20 ||
		pol.SuccessStatus != 201 || !pol.Expiration.Equal(start.Add(5*time.Minute)) {
		t.Fatalf("policy = %+v", pol)
	}
	other := &media.Uploader{Store: r.store, Secret: []byte("another key")}
	if _, err := other.Verify(p.Fields, start); !isCode(err, api.CodeForbidden) {
		t.Fatalf("policy verified under another key: %v", err)
	}
}

func isCode(err error, code string) bool {
	var ae *api.Error
	return errors.As(err, &ae) && ae.Code == code
}
