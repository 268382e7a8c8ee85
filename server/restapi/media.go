package restapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/media"
)

// maxPhotosPerRequest bounds one attach-photos request.
const maxPhotosPerRequest = 10

// mediaPrefix is the key prefix of a chat's presigned uploads of kind.
func mediaPrefix(chatID int64, kind media.Kind) string {
	return fmt.Sprintf("chats/%d/%ss", chatID, kind)
}

// restPresign answers a presigned upload of one photo or video for the
// chat: POST the fields and then the file to the URL, this server's
// upload handler, within five minutes.
func (s *API) restPresign(kind media.Kind) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.PathAnyChat(r)
		if err != nil {
			return err
		}
		up := *s.uploader
		up.URL = s.BaseURL(r) + UploadPath
		p, err := up.Presign(kind, mediaPrefix(c.ID, kind), s.Now())
		if err != nil {
			return err
		}
		httpapi.WriteJSON(w, http.StatusOK, p)
		return nil
	}
}

// mediaRef is the REST API's {url, media_id}.
type mediaRef struct {
	URL     string `json:"url"`
	MediaID int64  `json:"media_id"`
}

// attachUploads turns uploaded keys of kind into agent messages of chat id.
func (s *API) attachUploads(r *http.Request, id, fromUserID int64, kind media.Kind, keys []string) ([]mediaRef, error) {
	rule, _ := media.RuleFor(kind)
	var out []mediaRef
	err := s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.Chat.LoadChat(t.Ctx, t.Tx, id)
		if err != nil {
			return err
		}
		if !api.IsOngoing(c.Status) {
			return api.Errorf(api.CodeConflict, "chat %d is %s; no more messages can be sent", c.ID, c.Status)
		}
		a, err := s.Chat.PickAgent(c, fromUserID)
		if err != nil {
			return err
		}
		if err := t.Assign(c, a); err != nil {
			return err
		}
		for _, key := range keys {
			key = strings.TrimPrefix(strings.TrimSpace(key), "/")
			// Only this chat's own uploads of this kind can be attached.
			if !strings.HasPrefix(key, mediaPrefix(c.ID, kind)+"/") || media.ValidKey(key) != nil {
				return api.Errorf(api.CodeInvalidArgument, "%q is not an uploaded %s of chat %d", key, string(kind), c.ID)
			}
			info, err := s.Media.Stat(key)
			if err != nil {
				return api.Errorf(api.CodeNotFound, "no uploaded %s %q: upload it first", string(kind), key)
			}
			m := &chat.Media{Key: key, Kind: string(kind), ChatID: c.ID, Name: key[strings.LastIndexByte(key, '/')+1:],
				ContentType: rule.ContentType, Size: info.Size}
			if err := t.InsertMedia(m); err != nil {
				return err
			}
			url := s.MediaURL(r, m.ID)
			if _, err := t.AddMessage(c, api.Message{UserType: api.UserAgent, UserID: a.ID, UserName: a.Name, Type: string(kind),
				MediaID: m.ID, File: m.FileInfo(url)}); err != nil {
				return err
			}
			out = append(out, mediaRef{URL: url, MediaID: m.ID})
		}
		return nil
	})
	return out, err
}

// restAttachPhotos attaches uploaded photos: {"photo":[{"s3_path","photo_type"}]}.
// One photo answers {url, media_id}; several answer a list of them.
func (s *API) restAttachPhotos(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		FromUserID int64 `json:"from_user_id"`
		Photo      []struct {
			S3Path    string `json:"s3_path"`
			GCSPath   string `json:"gcs_path"`
			PhotoType string `json:"photo_type"`
		} `json:"photo"`
	}
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if len(req.Photo) == 0 || len(req.Photo) > maxPhotosPerRequest {
		return api.Errorf(api.CodeInvalidArgument, "photo must list 1 to %d uploads", maxPhotosPerRequest)
	}
	var keys []string
	for _, p := range req.Photo {
		k := p.S3Path
		if k == "" {
			k = p.GCSPath
		}
		if k == "" {
			return api.Errorf(api.CodeInvalidArgument, "each photo needs s3_path")
		}
		keys = append(keys, k)
	}
	refs, err := s.attachUploads(r, id, req.FromUserID, media.KindPhoto, keys)
	if err != nil {
		return err
	}
	if len(refs) == 1 {
		httpapi.WriteJSON(w, http.StatusOK, refs[0])
		return nil
	}
	httpapi.WriteJSON(w, http.StatusOK, refs)
	return nil
}

// restAttachVideo attaches an uploaded video: {"video":{"s3_path"|"gcs_path"}}.
func (s *API) restAttachVideo(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		FromUserID int64 `json:"from_user_id"`
		Video      struct {
			S3Path  string `json:"s3_path"`
			GCSPath string `json:"gcs_path"`
		} `json:"video"`
	}
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	k := req.Video.S3Path
	if k == "" {
		k = req.Video.GCSPath
	}
	if k == "" {
		return api.Errorf(api.CodeInvalidArgument, "video.s3_path or video.gcs_path is required")
	}
	refs, err := s.attachUploads(r, id, req.FromUserID, media.KindVideo, []string{k})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, refs[0])
	return nil
}

// restListMedia lists the chat's photos or videos, from either side.
func (s *API) restListMedia(kind string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.PathAnyChat(r)
		if err != nil {
			return err
		}
		ms, err := s.Chat.ChatMedia(r.Context(), s.DB, c.ID, kind)
		if err != nil {
			return err
		}
		out := []mediaRef{}
		for _, m := range ms {
			out = append(out, mediaRef{URL: s.MediaURL(r, m.ID), MediaID: m.ID})
		}
		httpapi.WriteJSON(w, http.StatusOK, out)
		return nil
	}
}
