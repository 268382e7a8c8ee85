package server

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
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/media"
)

// multipartOverhead is what a multipart body may carry beyond its files:
// boundaries, part headers and the small form fields.
const multipartOverhead = 1 << 20

// maxCaptionLen bounds a file's caption, in characters.
const maxCaptionLen = 1000

// mediaRow is a stored file (store.Media).
type mediaRow = chat.Media

// filePolicy is the company's attachment policy: its prohibited types and
// its file size limit.
func (s *Server) filePolicy() media.FilePolicy {
	return media.FilePolicy{MaxBytes: s.company.MaxFileSize, Prohibited: s.company.ProhibitedFileTypes}
}

// mediaURL is where media id is downloaded (api.RouteMedia).
func (s *Server) mediaURL(r *http.Request, id int64) string {
	return s.baseURL(r) + strings.Replace(api.RouteMedia, "{mid}", strconv.FormatInt(id, 10), 1)
}

// mediaKind is the message type of a file with this content type.
func mediaKind(contentType string) string {
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

// baseName is the file name without any directory a browser may send.
func baseName(name string) string {
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

// storeUpload copies one uploaded file into the media store under
// keyPrefix after checking it against the company's policy. The caller
// deletes the key if it does not keep the file.
func (s *Server) storeUpload(keyPrefix, name, declaredType string, size int64, open func() (io.ReadSeekCloser, error)) (media.Info, error) {
	pol := s.filePolicy()
	name = baseName(name)
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
	key := keyPrefix + "/" + randomHex(12) + keyExt(name)
	return s.media.Put(key, name, ct, f, pol.Limit())
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// parseMultipart reads a multipart body of at most limit bytes; small
// parts stay in memory, large files go to temporary files that the caller
// removes with r.MultipartForm.RemoveAll.
func parseMultipart(w http.ResponseWriter, r *http.Request, limit int64) error {
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

// handleSendFile receives an end user's file (sendFileMessage) and posts
// it in the chat as a photo, video or file message.
func (s *Server) handleSendFile(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	if err := parseMultipart(w, r, s.maxBody(bodyFile)); err != nil {
		return err
	}
	defer r.MultipartForm.RemoveAll()
	if s.faults.Load().RejectSends {
		return errRejectedSend()
	}
	clientID := r.FormValue("client_id")
	if clientID == "" {
		clientID = r.Header.Get(api.HeaderIdempotencyKey)
	}
	if len(clientID) > maxClientIDLen {
		return api.Errorf(api.CodeInvalidArgument, "client_id is longer than %d bytes", maxClientIDLen)
	}
	caption := r.FormValue("caption")
	if utf8.RuneCountInString(caption) > maxCaptionLen {
		return api.Errorf(api.CodeTooLarge, "caption is over %d characters", maxCaptionLen)
	}
	files := r.MultipartForm.File["file"]
	if len(files) != 1 {
		return api.Errorf(api.CodeInvalidArgument, "send exactly one part named \"file\" (got %d)", len(files))
	}
	if clientID != "" {
		prev, err := s.chat.MessageByClientID(r.Context(), s.db, c.ID, clientID)
		if err != nil {
			return err
		}
		if prev != nil {
			writeJSON(w, http.StatusOK, api.FileMessageResponse{MessageID: prev.Index, MediaID: prev.MediaID, Message: *prev})
			return nil
		}
	}
	if !api.IsOngoing(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s; no more messages can be sent", c.ID, c.Status)
	}
	fh := files[0]
	info, err := s.storeUpload(fmt.Sprintf("chats/%d/files", c.ID), fh.Filename, fh.Header.Get("Content-Type"), fh.Size,
		func() (io.ReadSeekCloser, error) { return fh.Open() })
	if err != nil {
		return err
	}
	var msg api.Message
	created := false
	err = s.write(r.Context(), func(t *txn) error {
		if c, err = s.ownChat(t.ctx, t.tx, u, c.ID); err != nil {
			return err
		}
		if clientID != "" {
			prev, err := s.chat.MessageByClientID(t.ctx, t.tx, c.ID, clientID)
			if err != nil {
				return err
			}
			if prev != nil {
				msg = *prev
				return nil
			}
		}
		if !api.IsOngoing(c.Status) {
			return api.Errorf(api.CodeConflict, "chat %d is %s; no more messages can be sent", c.ID, c.Status)
		}
		m := &mediaRow{Key: info.Key, Kind: mediaKind(info.ContentType), ChatID: c.ID, EndUserID: u.ID,
			Name: info.Name, ContentType: info.ContentType, Size: info.Size, Caption: caption}
		if err := t.InsertMedia(m); err != nil {
			return err
		}
		msg, err = t.AddMessage(c, api.Message{UserType: api.UserEndUser, UserID: u.ID, UserName: u.Name, Type: m.Kind,
			Content: caption, MediaID: m.ID, File: m.FileInfo(s.mediaURL(r, m.ID)), ClientID: clientID})
		created = err == nil
		return err
	})
	if !created {
		// A failed or duplicate request keeps nothing it stored.
		if derr := s.media.Delete(info.Key); derr != nil {
			s.log.Warn("delete unused upload", "key", info.Key, "err", derr)
		}
	}
	if err != nil {
		return err
	}
	if created {
		s.chat.MessageReceived(c.ID, u.ID, msg)
	}
	writeJSON(w, http.StatusOK, api.FileMessageResponse{MessageID: msg.Index, MediaID: msg.MediaID, Message: msg})
	return nil
}

// handleMedia serves a stored file to the end user whose chat (or email)
// it belongs to, or to the company's backend with its REST credentials.
// Anyone else gets not_found, as for any resource they cannot see.
func (s *Server) handleMedia(w http.ResponseWriter, r *http.Request) error {
	mid, err := pathID(r, "mid")
	if err != nil {
		return err
	}
	var u *endUser
	if _, _, basic := r.BasicAuth(); basic {
		if err := s.checkBasic(w, r); err != nil {
			w.Header().Set("WWW-Authenticate", `Basic realm="apps api"`)
			return err
		}
	} else if u, err = s.authenticate(r); err != nil {
		return err
	}
	m, err := s.chat.LoadMedia(r.Context(), s.db, mid)
	if err != nil {
		return err
	}
	if u != nil {
		owner := m.EndUserID
		if m.ChatID != 0 {
			c, err := s.chat.LoadChat(r.Context(), s.db, m.ChatID)
			if err != nil {
				return err
			}
			owner = c.EndUserID
		}
		if owner != u.ID {
			return api.Errorf(api.CodeNotFound, "media %d not found", mid)
		}
	}
	return s.serveMedia(w, r, m)
}

// handleAgentMedia lets a signed-in agent open any media of the company
// (what customers and agents sent in chats), as the REST API's credentials
// can.
func (s *Server) handleAgentMedia(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	mid, err := pathID(r, "mid")
	if err != nil {
		return err
	}
	m, err := s.chat.LoadMedia(r.Context(), s.db, mid)
	if err != nil {
		return err
	}
	return s.serveMedia(w, r, m)
}

// inlineTypes are the media types served inline: raster images and
// videos, which a browser only ever displays. Everything else (SVG and
// HTML above all, which run script) is an attachment.
var inlineTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/avif": true,
	"video/mp4": true, "video/webm": true, "video/ogg": true, "video/quicktime": true,
}

// mediaCSP is the policy of every file the platform serves from users: a
// file opened as a document gets no script, no plugins, no requests and
// an opaque origin, whatever it contains.
const mediaCSP = "default-src 'none'; sandbox"

// serveMedia answers m's bytes: photos and videos of inlineTypes inline,
// every other file as an attachment, never sniffed, sandboxed.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request, m *mediaRow) error {
	f, info, err := s.media.Open(m.Key)
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", mediaCSP)
	h.Set("Cache-Control", "private, no-store")
	disp := "attachment"
	if mt, _, _ := mime.ParseMediaType(m.ContentType); (m.Kind == api.MsgPhoto || m.Kind == api.MsgVideo) && inlineTypes[mt] {
		disp = "inline"
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": m.Name}))
	http.ServeContent(w, r, "", info.Created, f)
	return nil
}
