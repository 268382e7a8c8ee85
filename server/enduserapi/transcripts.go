package enduserapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/store"
	"github.com/ccaip/headless-go/server/transcript"
)

// maxTranscriptMessages bounds what one transcript shows.
const maxTranscriptMessages = 10000

// transcriptOf gathers what a transcript of c shows.
func (s *API) transcriptOf(ctx context.Context, q querier, c *chatRow) (transcript.Transcript, error) {
	ms, err := s.Chat.Messages(ctx, q, c.ID, 0, 0, maxTranscriptMessages)
	if err != nil {
		return transcript.Transcript{}, err
	}
	t := transcript.Transcript{CompanyName: s.Company.Name, ChatID: c.ID, Lang: c.Lang,
		StartedAt: time.UnixMilli(c.CreatedAt), Messages: ms}
	if c.FinishedAt != 0 {
		t.EndedAt = time.UnixMilli(c.FinishedAt)
	}
	return t, nil
}

// handleTranscriptEmail is sendChatTranscripts: the text transcript is
// written as an .eml per request to the outbox, addressed to every
// recipient, and also sent through Config.SMTP when that is set.
func (s *API) handleTranscriptEmail(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req api.TranscriptEmailRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if len(req.Emails) == 0 {
		return api.Errorf(api.CodeInvalidArgument, "emails is required")
	}
	if len(req.Emails) > transcript.MaxRecipients {
		return api.Errorf(api.CodeInvalidArgument, "at most %d recipients", transcript.MaxRecipients)
	}
	to := make([]string, 0, len(req.Emails))
	for _, e := range req.Emails {
		a, err := chat.CheckEmail(e)
		if err != nil {
			return err
		}
		to = append(to, a)
	}
	if !s.Company.EmailTranscripts {
		return api.Errorf(api.CodeForbidden, "the company does not send transcripts by email")
	}
	c, err := s.ownChat(r.Context(), s.DB, u, id)
	if err != nil {
		return err
	}
	tr, err := s.transcriptOf(r.Context(), s.DB, c)
	if err != nil {
		return err
	}
	m := transcript.Mail{From: s.mailFrom(), To: to, Date: s.Now(),
		Subject: fmt.Sprintf("%s: transcript of chat %d", s.Company.Name, c.ID), Text: tr.Text()}
	if _, err := transcript.WriteEML(s.outboxDir(), m); err != nil {
		return fmt.Errorf("write transcript email: %w", err)
	}
	if s.cfg.SMTP != nil {
		s.Chat.Go(func(ctx context.Context) {
			if err := s.cfg.SMTP.Send(ctx, m); err != nil {
				s.Log.Warn("transcript email not delivered over SMTP", "chat", c.ID, "err", err)
			}
		})
	}
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

// transcriptKey is where transcript id's PDF is stored.
func transcriptKey(id int64) string { return fmt.Sprintf("transcripts/%d.pdf", id) }

// handleTranscriptPDF is downloadChatTranscript: a pending transcript is
// recorded and rendered on a background goroutine.
func (s *API) handleTranscriptPDF(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var tid int64
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.ownChat(t.Ctx, t.Tx, u, id)
		if err != nil {
			return err
		}
		tid, err = t.Tx.InsertTranscript(c.ID, s.Now().UnixMilli())
		return err
	})
	if err != nil {
		return err
	}
	s.renderTranscript(tid)
	httpapi.WriteJSON(w, http.StatusOK, api.GenerateTranscriptResponse{Status: api.TranscriptPending, ChatTranscriptID: tid})
	return nil
}

// ResumeTranscripts renders the transcripts left pending by a stop.
func (s *API) ResumeTranscripts() error {
	ids, err := store.PendingTranscripts(s.Chat.Context(), s.DB)
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.renderTranscript(id)
	}
	return nil
}

// renderTranscript renders transcript tid in the background; Close waits
// for it. The status becomes ready, or failed with the reason.
func (s *API) renderTranscript(tid int64) {
	s.Chat.Go(func(ctx context.Context) {
		status, reason := api.TranscriptReady, ""
		if err := s.renderTranscriptPDF(ctx, tid); err != nil {
			if ctx.Err() != nil {
				return // stopped: stays pending and is rendered after a restart
			}
			s.Log.Warn("transcript failed", "transcript", tid, "err", err)
			status, reason = api.TranscriptFailed, "the transcript could not be rendered"
		}
		key := ""
		if status == api.TranscriptReady {
			key = transcriptKey(tid)
		}
		err := s.Chat.Write(ctx, func(t *chat.Txn) error {
			return t.Tx.SetTranscriptStatus(tid, status, reason, key)
		})
		if err != nil && ctx.Err() == nil {
			s.Log.Warn("transcript status not saved", "transcript", tid, "err", err)
		}
	})
}

func (s *API) renderTranscriptPDF(ctx context.Context, tid int64) error {
	chatID, err := store.TranscriptChat(ctx, s.DB, tid)
	if err != nil {
		return err
	}
	c, err := s.Chat.LoadChat(ctx, s.DB, chatID)
	if err != nil {
		return err
	}
	tr, err := s.transcriptOf(ctx, s.DB, c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := transcript.RenderPDF(&buf, tr); err != nil {
		return err
	}
	key := transcriptKey(tid)
	// A render interrupted after storing leaves the file: replace it.
	if err := s.Media.Delete(key); err != nil {
		return err
	}
	_, err = s.Media.Put(key, fmt.Sprintf("chat-%d-transcript.pdf", c.ID), "application/pdf", &buf, 0)
	return err
}

// handleTranscript is getPdfStatus: the PDF once ready, else its status.
func (s *API) handleTranscript(w http.ResponseWriter, r *http.Request, u *endUser) error {
	tid, err := httpapi.PathID(r, "tid")
	if err != nil {
		return err
	}
	tr, err := store.EndUserTranscript(r.Context(), s.DB, s.Company.ID, u.ID, tid)
	status, reason, key := tr.Status, tr.FailedReason, tr.Key
	if errors.Is(err, store.ErrNoRows) {
		return api.Errorf(api.CodeNotFound, "transcript %d not found", tid)
	}
	if err != nil {
		return fmt.Errorf("load transcript %d: %w", tid, err)
	}
	w.Header().Set(api.HeaderTranscriptStatus, status)
	if status != api.TranscriptReady {
		httpapi.WriteJSON(w, http.StatusOK, api.PdfStatusResponse{Status: status, FailedReason: reason})
		return nil
	}
	f, info, err := s.Media.Open(key)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", httpapi.MediaCSP)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(info.Name, `"`, "")+`"`)
	http.ServeContent(w, r, "", info.Created, f)
	return nil
}
