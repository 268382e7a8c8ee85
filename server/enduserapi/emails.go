package enduserapi

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/store"
	"github.com/ccaip/headless-go/server/transcript"
)

// outboxDir is where the platform drops the .eml files of the emails it
// sends, so that a person running it can read them.
func (s *API) outboxDir() string { return s.cfg.Outbox }

// mailFrom is the From address of the platform's own emails.
func (s *API) mailFrom() string {
	if s.cfg.MailFrom != "" {
		return s.cfg.MailFrom
	}
	if s.Company.SupportEmail != "" {
		return s.Company.SupportEmail
	}
	return "noreply@" + s.Company.Subdomain + ".invalid"
}

// handleCreateEmail receives createEmail: multipart with a "data" part
// (api.EmailRequest JSON) and "files" parts, or plain JSON without files.
// The email is stored with its attachments and written as an .eml to the
// outbox, addressed to the company's support address.
func (s *API) handleCreateEmail(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.EmailRequest
	var files []*multipart.FileHeader
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		if err := httpapi.ParseMultipart(w, r, s.MaxBody(httpapi.BodyEmail)); err != nil {
			return err
		}
		defer r.MultipartForm.RemoveAll()
		data, err := multipartValue(r.MultipartForm, "data")
		if err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(data), &req); err != nil {
			return api.Errorf(api.CodeBadRequest, "malformed \"data\" part: %v", err)
		}
		files = r.MultipartForm.File["files"]
	} else if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	e, err := s.Chat.CheckEmailRequest(req, len(files))
	if err != nil {
		return err
	}
	m, lang, addr, name := e.Menu, e.Lang, e.Addr, e.Name
	// Check every file before storing any, so a refused one stores nothing.
	pol := s.FilePolicy()
	for _, fh := range files {
		if err := pol.Check(httpapi.BaseName(fh.Filename), fh.Size); err != nil {
			return err
		}
	}
	var stored []*chat.Media
	keep := false
	defer func() {
		if keep {
			return
		}
		for _, st := range stored {
			if err := s.Media.Delete(st.Key); err != nil {
				s.Log.Warn("delete unused attachment", "key", st.Key, "err", err)
			}
		}
	}()
	prefix := "emails/" + httpapi.RandomHex(8)
	var atts []transcript.Attachment
	for _, fh := range files {
		info, err := s.StoreUpload(prefix, fh.Filename, fh.Header.Get("Content-Type"), fh.Size,
			func() (io.ReadSeekCloser, error) { return fh.Open() })
		if err != nil {
			return err
		}
		stored = append(stored, &chat.Media{Key: info.Key, Kind: httpapi.MediaKind(info.ContentType), EndUserID: u.ID,
			Name: info.Name, ContentType: info.ContentType, Size: info.Size})
		f, err := fh.Open()
		if err != nil {
			return fmt.Errorf("reopen attachment: %w", err)
		}
		b, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("read attachment: %w", err)
		}
		atts = append(atts, transcript.Attachment{Name: info.Name, ContentType: info.ContentType, Data: b})
	}
	from := addr
	if name != "" {
		from = (&mail.Address{Name: name, Address: addr}).String()
	}
	var out api.EmailResponse
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		now := s.Now()
		id, err := t.Tx.InsertEmail(store.NewEmail{
			Company: s.Company.ID, EndUserID: u.ID, MenuID: m.ID, Lang: lang, Name: name, Email: addr,
			Content: req.Content, Status: chat.EmailSent, Attachments: len(stored), Now: now.UnixMilli(),
		})
		if err != nil {
			return err
		}
		for _, st := range stored {
			st.EmailID = id
			if err := t.InsertMedia(st); err != nil {
				return err
			}
		}
		// The .eml is written inside the transaction: if it cannot be
		// written, the email is not recorded as sent.
		p, err := transcript.WriteEML(s.outboxDir(), transcript.Mail{
			From: from, To: []string{s.mailFrom()}, Date: now,
			Subject:     fmt.Sprintf("[%s] Email from %s (menu %s, #%d)", s.Company.Name, addr, m.LocalName(lang), id),
			Text:        req.Content,
			Attachments: atts,
		})
		if err != nil {
			return fmt.Errorf("write email: %w", err)
		}
		if err := t.Tx.SetEmailFile(id, p); err != nil {
			return err
		}
		out = api.EmailResponse{ID: id, Type: string(api.ChannelEmail), Status: chat.EmailSent, AttachmentCount: len(stored)}
		return nil
	})
	if err != nil {
		return err
	}
	keep = true
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// multipartValue reads a small form part given either as a field or as a
// file part (a Blob appended to FormData arrives as a file).
func multipartValue(f *multipart.Form, name string) (string, error) {
	if v := f.Value[name]; len(v) > 0 {
		return v[0], nil
	}
	if fhs := f.File[name]; len(fhs) > 0 {
		if fhs[0].Size > httpapi.MaxJSONBody {
			return "", api.Errorf(api.CodeTooLarge, "part %q is over %d bytes", name, httpapi.MaxJSONBody)
		}
		rd, err := fhs[0].Open()
		if err != nil {
			return "", fmt.Errorf("open part %s: %w", name, err)
		}
		defer rd.Close()
		b, err := io.ReadAll(rd)
		return string(b), err
	}
	return "", api.Errorf(api.CodeBadRequest, "the multipart body has no %q part", name)
}
