package enduserapi

import (
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

// handleSendFile receives an end user's file (sendFileMessage) and posts
// it in the chat as a photo, video or file message.
func (s *API) handleSendFile(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	if err := httpapi.ParseMultipart(w, r, s.MaxBody(httpapi.BodyFile)); err != nil {
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
	if len(clientID) > chat.MaxClientIDLen {
		return api.Errorf(api.CodeInvalidArgument, "client_id is longer than %d bytes", chat.MaxClientIDLen)
	}
	caption := r.FormValue("caption")
	if utf8.RuneCountInString(caption) > httpapi.MaxCaptionLen {
		return api.Errorf(api.CodeTooLarge, "caption is over %d characters", httpapi.MaxCaptionLen)
	}
	files := r.MultipartForm.File["file"]
	if len(files) != 1 {
		return api.Errorf(api.CodeInvalidArgument, "send exactly one part named \"file\" (got %d)", len(files))
	}
	if clientID != "" {
		prev, err := s.Chat.MessageByClientID(r.Context(), s.DB, c.ID, clientID)
		if err != nil {
			return err
		}
		if prev != nil {
			httpapi.WriteJSON(w, http.StatusOK, api.FileMessageResponse{MessageID: prev.Index, MediaID: prev.MediaID, Message: *prev})
			return nil
		}
	}
	if !api.IsOngoing(c.Status) {
		return api.Errorf(api.CodeConflict, "chat %d is %s; no more messages can be sent", c.ID, c.Status)
	}
	fh := files[0]
	info, err := s.StoreUpload(fmt.Sprintf("chats/%d/files", c.ID), fh.Filename, fh.Header.Get("Content-Type"), fh.Size,
		func() (io.ReadSeekCloser, error) { return fh.Open() })
	if err != nil {
		return err
	}
	var msg api.Message
	created := false
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		if c, err = s.ownChat(t.Ctx, t.Tx, u, c.ID); err != nil {
			return err
		}
		prev, err := t.PriorSend(c, clientID)
		if err != nil || prev != nil {
			if prev != nil {
				msg = *prev
			}
			return err
		}
		m := &chat.Media{Key: info.Key, Kind: httpapi.MediaKind(info.ContentType), ChatID: c.ID, EndUserID: u.ID,
			Name: info.Name, ContentType: info.ContentType, Size: info.Size, Caption: caption}
		if err := t.InsertMedia(m); err != nil {
			return err
		}
		msg, err = t.AddMessage(c, api.Message{UserType: api.UserEndUser, UserID: u.ID, UserName: u.Name, Type: m.Kind,
			Content: caption, MediaID: m.ID, File: m.FileInfo(s.MediaURL(r, m.ID)), ClientID: clientID})
		created = err == nil
		return err
	})
	if !created {
		// A failed or duplicate request keeps nothing it stored.
		if derr := s.Media.Delete(info.Key); derr != nil {
			s.Log.Warn("delete unused upload", "key", info.Key, "err", derr)
		}
	}
	if err != nil {
		return err
	}
	if created {
		s.Chat.MessageReceived(c.ID, u.ID, msg)
	}
	httpapi.WriteJSON(w, http.StatusOK, api.FileMessageResponse{MessageID: msg.Index, MediaID: msg.MediaID, Message: msg})
	return nil
}

// handleMedia serves a stored file to the end user whose chat (or email)
// it belongs to, or to the company's backend with its REST credentials.
// Anyone else gets not_found, as for any resource they cannot see.
func (s *API) handleMedia(w http.ResponseWriter, r *http.Request) error {
	mid, err := httpapi.PathID(r, "mid")
	if err != nil {
		return err
	}
	var u *endUser
	if _, _, basic := r.BasicAuth(); basic {
		if err := s.CheckBasic(w, r); err != nil {
			w.Header().Set("WWW-Authenticate", `Basic realm="apps api"`)
			return err
		}
	} else if u, err = s.authenticate(r); err != nil {
		return err
	}
	m, err := s.Chat.LoadMedia(r.Context(), s.DB, mid)
	if err != nil {
		return err
	}
	if u != nil {
		owner := m.EndUserID
		if m.ChatID != 0 {
			c, err := s.Chat.LoadChat(r.Context(), s.DB, m.ChatID)
			if err != nil {
				return err
			}
			owner = c.EndUserID
		}
		if owner != u.ID {
			return api.Errorf(api.CodeNotFound, "media %d not found", mid)
		}
	}
	return s.ServeMedia(w, r, m)
}
