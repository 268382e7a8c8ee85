package server_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

type presigned struct {
	URL    string            `json:"url"`
	Fields map[string]string `json:"fields"`
}

func (p *platform) presign(chatID int64, kind string) presigned {
	p.t.Helper()
	res := p.rest("POST", server.RESTPrefix+"/chats/"+jsonString(chatID)+"/"+kind+"/upload", nil)
	res.wantOK(p.t)
	var ps presigned
	res.decode(p.t, &ps)
	if ps.URL == "" || ps.Fields["key"] == "" || ps.Fields["policy"] == "" {
		p.t.Fatalf("presigned %+v", ps)
	}
	return ps
}

// postUpload sends a presigned upload over real HTTP: the fields, then
// the file last.
func (p *platform) postUpload(ps presigned, contentType string, data []byte) response {
	p.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	keys := make([]string, 0, len(ps.Fields))
	for k := range ps.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		mw.WriteField(k, ps.Fields[k])
	}
	fw, _ := mw.CreateFormFile("file", "upload")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", ps.URL, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func TestRESTPhotosAndVideos(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now()}
	p := newPlatform(t, func(c *server.Config) { c.Now = clock.Now; c.RESTRate = 1000 })
	u := p.login("viewer")
	other := p.login("other-viewer")
	chat := u.createChat(124)
	base := server.RESTPrefix + "/chats/" + jsonString(chat.ID)

	ps := p.presign(chat.ID, "photos")
	if ps.URL != p.ts.URL+"/media/upload" || ps.Fields["Content-Type"] != "image/jpeg" {
		t.Fatalf("presigned %+v", ps)
	}
	if res := p.postUpload(ps, "image/jpeg", jpeg); res.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.status, res.body)
	}
	res := p.rest("POST", base+"/photos", map[string]any{"photo": []map[string]string{{"s3_path": ps.Fields["key"], "photo_type": "image/jpeg"}}})
	res.wantOK(t)
	var ref struct {
		URL     string `json:"url"`
		MediaID int64  `json:"media_id"`
	}
	res.decode(t, &ref)
	if ref.MediaID == 0 || ref.URL != p.ts.URL+path(api.RouteMedia, ref.MediaID) {
		t.Fatalf("attached %+v", ref)
	}
	m := u.lastMessage(chat.ID)
	if m.Type != api.MsgPhoto || m.MediaID != ref.MediaID || m.UserType != api.UserAgent || m.File == nil || m.File.ContentType != "image/jpeg" {
		t.Fatalf("photo message %+v", m)
	}
	dl := p.get(path(api.RouteMedia, ref.MediaID), map[string]string{"Authorization": "Bearer " + u.token})
	dl.wantOK(t)
	if !bytes.Equal(dl.body, jpeg) {
		t.Fatal("downloaded photo differs")
	}
	p.get(path(api.RouteMedia, ref.MediaID), map[string]string{"Authorization": "Bearer " + other.token}).wantError(t, api.CodeNotFound)
	// The same upload cannot be attached twice.
	p.rest("POST", base+"/photos", map[string]any{"photo": []map[string]string{{"s3_path": ps.Fields["key"]}}}).wantError(t, api.CodeConflict)

	vs := p.presign(chat.ID, "videos")
	mp4 := append([]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, bytes.Repeat([]byte{1}, 100)...)
	if res := p.postUpload(vs, "video/mp4", mp4); res.status != http.StatusCreated {
		t.Fatalf("video upload: %d %s", res.status, res.body)
	}
	res = p.rest("POST", base+"/videos", map[string]any{"video": map[string]string{"gcs_path": vs.Fields["key"]}})
	res.wantOK(t)
	var lp, lv []map[string]any
	res = p.rest("GET", base+"/photos", nil)
	res.wantOK(t)
	res.decode(t, &lp)
	res = p.rest("GET", base+"/videos", nil)
	res.wantOK(t)
	res.decode(t, &lv)
	if len(lp) != 1 || lp[0]["media_id"] != float64(ref.MediaID) || len(lv) != 1 || lv[0]["url"] == "" {
		t.Fatalf("photos %v videos %v", lp, lv)
	}

	// Another chat's upload or an arbitrary key cannot be attached here.
	u2 := p.login("second")
	chat2 := u2.createChat(124)
	ps2 := p.presign(chat2.ID, "photos")
	if res := p.postUpload(ps2, "image/jpeg", jpeg); res.status != http.StatusCreated {
		t.Fatalf("upload 2: %d %s", res.status, res.body)
	}
	for _, key := range []string{ps2.Fields["key"], "../../platform.db", vs.Fields["key"]} {
		p.rest("POST", base+"/photos", map[string]any{"photo": []map[string]string{{"s3_path": key}}}).wantError(t, api.CodeInvalidArgument)
	}
	// Tampering with a signed field, wrong content, expiry: all refused by
	// the real upload route, and nothing is attachable afterwards.
	bad := p.presign(chat.ID, "photos")
	tampered := presigned{URL: bad.URL, Fields: map[string]string{}}
	for k, v := range bad.Fields {
		tampered.Fields[k] = v
	}
	tampered.Fields["key"] = "chats/" + jsonString(chat.ID) + "/photos/chosen.jpg"
	p.postUpload(tampered, "image/jpeg", jpeg).wantError(t, api.CodeForbidden)
	p.postUpload(bad, "image/jpeg", []byte("not a jpeg at all")).wantError(t, api.CodeUnsupportedType)
	clock.Advance(6 * time.Minute)
	p.postUpload(bad, "image/jpeg", jpeg).wantError(t, api.CodeForbidden)
	p.rest("POST", base+"/photos", map[string]any{"photo": []map[string]string{{"s3_path": bad.Fields["key"]}}}).wantError(t, api.CodeNotFound)

	p.rest("POST", base+"/photos", map[string]any{"photo": []map[string]string{}}).wantError(t, api.CodeInvalidArgument)
	p.rest("POST", base+"/videos", map[string]any{"video": map[string]string{}}).wantError(t, api.CodeInvalidArgument)
	p.rest("POST", server.RESTPrefix+"/chats/999/photos/upload", nil).wantError(t, api.CodeNotFound)
	p.restAs("x", "y", "POST", base+"/photos/upload", nil).wantError(t, api.CodeUnauthorized)
}
