package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/media"
)

// MultipartOverhead is what a multipart body may carry beyond its files:
// boundaries, part headers and the small form fields.
const MultipartOverhead = 1 << 20

// MaxCaptionLen bounds a file's caption, in characters.
const MaxCaptionLen = 1000

// FilePolicy is the company's attachment policy: its prohibited types and
// its file size limit.
func (p *Platform) FilePolicy() media.FilePolicy {
	return media.FilePolicy{MaxBytes: p.Company.MaxFileSize, Prohibited: p.Company.ProhibitedFileTypes}
}

// MaxBody is the limit of body class b.
func (p *Platform) MaxBody(b BodyClass) int64 {
	switch b {
	case BodyNone:
		return 0
	case BodyJSON:
		return MaxJSONBody
	case BodyFile:
		return p.FilePolicy().Limit() + MultipartOverhead
	case BodyEmail:
		return chat.MaxEmailFiles*p.FilePolicy().Limit() + MultipartOverhead
	case BodyUpload:
		return media.MaxUploadBody()
	}
	panic(fmt.Sprintf("server: no body limit for class %d", b))
}

// MediaURL is where media id is downloaded (api.RouteMedia).
func (p *Platform) MediaURL(r *http.Request, id int64) string {
	return p.BaseURL(r) + strings.Replace(api.RouteMedia, "{mid}", strconv.FormatInt(id, 10), 1)
}

// MediaKind is the message type of a file with this content type.
func MediaKind(contentType string) string {
	switch {
	case strings.HasPrefix(contentType, "image/"):
		return api.MsgPhoto
	case strings.HasPrefix(contentType, "video/"):
		return api.MsgVideo
	}
	return api.MsgFile
}

// keyExt is name's extension when it is safe inside a media key, else "".
func keyExt(name string) string {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	if len(ext) < 2 || len(ext) > 10 {
		return ""
	}
	for _, r := range ext[1:] {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	return ext
}

// BaseName is the file name without any directory a browser may send.
func BaseName(name string) string {
	return path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
}

// contentTypeOf picks a file's content type: the part's own, unless it is
// missing or generic, then the bytes' (sniffed) type.
func contentTypeOf(declared string, head []byte) string {
	if mt, _, err := mime.ParseMediaType(declared); err == nil && mt != "application/octet-stream" {
		return mt
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	return mt
}

// StoreUpload copies one uploaded file into the media store under
// keyPrefix after checking it against the company's policy. The caller
// deletes the key if it does not keep the file.
func (p *Platform) StoreUpload(keyPrefix, name, declaredType string, size int64, open func() (io.ReadSeekCloser, error)) (media.Info, error) {
	pol := p.FilePolicy()
	name = BaseName(name)
	if err := pol.Check(name, size); err != nil {
		return media.Info{}, err
	}
	f, err := open()
	if err != nil {
		return media.Info{}, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return media.Info{}, fmt.Errorf("rewind upload: %w", err)
	}
	ct := contentTypeOf(declaredType, head[:n])
	key := keyPrefix + "/" + RandomHex(12) + keyExt(name)
	return p.Media.Put(key, name, ct, f, pol.Limit())
}

// RandomHex returns n random bytes in hex.
func RandomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ParseMultipart reads a multipart body of at most limit bytes; small
// parts stay in memory, large files go to temporary files that the caller
// removes with r.MultipartForm.RemoveAll.
func ParseMultipart(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return api.Errorf(api.CodeTooLarge, "request body is over %s", media.FormatSize(mb.Limit))
		}
		return api.Errorf(api.CodeBadRequest, "malformed multipart body: %v", err)
	}
	return nil
}

// inlineTypes are the media types served inline: raster images and
// videos, which a browser only ever displays. Everything else (SVG and
// HTML above all, which run script) is an attachment.
var inlineTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/avif": true,
	"video/mp4": true, "video/webm": true, "video/ogg": true, "video/quicktime": true,
}

// MediaCSP is the policy of every file the platform serves from users: a
// file opened as a document gets no script, no plugins, no requests and
// an opaque origin, whatever it contains.
const MediaCSP = "default-src 'none'; sandbox"

// ServeMedia answers m's bytes: photos and videos of inlineTypes inline,
// every other file as an attachment, never sniffed, sandboxed.
func (p *Platform) ServeMedia(w http.ResponseWriter, r *http.Request, m *chat.Media) error {
	f, info, err := p.Media.Open(m.Key)
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", MediaCSP)
	h.Set("Cache-Control", "private, no-store")
	disp := "attachment"
	if mt, _, _ := mime.ParseMediaType(m.ContentType); (m.Kind == api.MsgPhoto || m.Kind == api.MsgVideo) && inlineTypes[mt] {
		disp = "inline"
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": m.Name}))
	http.ServeContent(w, r, "", info.Created, f)
	return nil
}
