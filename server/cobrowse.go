package server

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// cobrowseCodeTTL is how long a screen-share code can be used.
const cobrowseCodeTTL = 10 * time.Minute

// maxCobrowseFrom bounds startCobrowse's "from".
const maxCobrowseFrom = 255

// cobrowseRow is a screen-share session as stored. Its code is 6 digits,
// unique among the codes that are still live (not expired, session not
// ended).
type cobrowseRow = store.Cobrowse

func cobrowseAPI(c *cobrowseRow) api.CobrowseSession {
	return api.CobrowseSession{ID: c.ID, Code: c.Code, Status: c.Status, ChatID: c.ChatID, From: c.From,
		StartedAt: fmtTime(c.StartedAt), EndedAt: fmtTime(c.EndedAt)}
}

func (s *Server) loadCobrowse(ctx context.Context, q querier, id int64) (*cobrowseRow, error) {
	c, err := store.LoadCobrowse(ctx, q, s.company.ID, id)
	if errors.Is(err, store.ErrNoRows) {
		return nil, api.Errorf(api.CodeNotFound, "cobrowse session %d not found", id)
	}
	return c, err
}

// cobrowseChat resolves the chat a session is tied to: the one named,
// which must be the end user's own, or else their ongoing chat (0 if none).
func (s *Server) cobrowseChat(t *txn, u *endUser, chatID int64) (int64, error) {
	if chatID != 0 {
		c, err := s.ownChat(t.ctx, t.tx, u, chatID)
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	}
	c, err := s.chat.OngoingChat(t.ctx, t.tx, u.ID)
	if err != nil || c == nil {
		return 0, err
	}
	return c.ID, nil
}

// newCobrowseCode draws a 6-digit code that no live session of the company
// holds.
func (t *txn) newCobrowseCode() (string, error) {
	now := t.s.now().UnixMilli()
	for range 50 {
		n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
		if err != nil {
			return "", err
		}
		code := fmt.Sprintf("%06d", n.Int64())
		taken, err := store.CobrowseCodeTaken(t.ctx, t.tx, t.s.company.ID, code, now)
		if err != nil {
			return "", err
		}
		if !taken {
			return code, nil
		}
	}
	return "", api.Errorf(api.CodeUnavailable, "no free cobrowse code; try again")
}

// insertCobrowse creates a session with a fresh code.
func (t *txn) insertCobrowse(u *endUser, chatID int64, status, from, lang, customData string) (*cobrowseRow, error) {
	code, err := t.newCobrowseCode()
	if err != nil {
		return nil, err
	}
	now := t.s.now()
	started := int64(0)
	if status == api.CobrowseActive {
		started = now.UnixMilli()
	}
	id, err := t.tx.InsertCobrowse(store.NewCobrowse{
		Company: t.s.company.ID, EndUserID: u.ID, ChatID: chatID, Code: code, CodeExpiresAt: now.Add(cobrowseCodeTTL).UnixMilli(),
		Lang: lang, CustomData: customData, Status: status, From: from, Now: now.UnixMilli(), StartedAt: started,
	})
	if err != nil {
		return nil, err
	}
	c, err := t.s.loadCobrowse(t.ctx, t.tx, id)
	if err != nil {
		return nil, err
	}
	t.cobrowseEvent(c)
	return c, nil
}

// cobrowseEvent tells the session's chat, if any, about its new state.
func (t *txn) cobrowseEvent(c *cobrowseRow) {
	if c.ChatID == 0 {
		return
	}
	cs := cobrowseAPI(c)
	t.Emit(api.Event{Type: api.EventCobrowse, ChatID: c.ChatID, Cobrowse: &cs})
}

// handleCobrowseCode is createCobrowseCode: a pending session with a
// 6-digit code the end user reads out to an agent, valid ten minutes.
func (s *Server) handleCobrowseCode(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.CobrowseCodeRequest
	if err := readJSON(w, r, &req, true); err != nil {
		return err
	}
	lang, ok := s.company.Lang(req.Lang)
	if !ok {
		return api.Errorf(api.CodeInvalidArgument, "language %q is not supported", req.Lang)
	}
	cd := ""
	if len(req.CustomData) > 0 {
		b, err := json.Marshal(req.CustomData)
		if err != nil {
			return err
		}
		cd = string(b)
	}
	var c *cobrowseRow
	err := s.write(r.Context(), func(t *txn) error {
		chatID, err := s.cobrowseChat(t, u, req.ChatID)
		if err != nil {
			return err
		}
		c, err = t.insertCobrowse(u, chatID, api.CobrowsePending, "", lang, cd)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.CobrowseCodeResponse{Code: c.Code, ExpiresAt: fmtTime(c.CodeExpiresAt)})
	return nil
}

// handleStartCobrowse is startCobrowse: the end user's newest pending
// session whose code is still live becomes active; without one, a new
// session starts active with a fresh code.
func (s *Server) handleStartCobrowse(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.StartCobrowseRequest
	if err := readJSON(w, r, &req, true); err != nil {
		return err
	}
	if len(req.From) > maxCobrowseFrom {
		return api.Errorf(api.CodeInvalidArgument, "from is longer than %d bytes", maxCobrowseFrom)
	}
	var c *cobrowseRow
	err := s.write(r.Context(), func(t *txn) error {
		chatID, err := s.cobrowseChat(t, u, req.ChatID)
		if err != nil {
			return err
		}
		now := s.now().UnixMilli()
		c, err = store.PendingCobrowse(t.ctx, t.tx, s.company.ID, u.ID, now)
		if errors.Is(err, store.ErrNoRows) {
			c, err = t.insertCobrowse(u, chatID, api.CobrowseActive, req.From, "", "")
			return err
		}
		if err != nil {
			return err
		}
		if c.ChatID == 0 {
			c.ChatID = chatID
		}
		c.Status, c.From, c.StartedAt = api.CobrowseActive, req.From, now
		if err := t.tx.StartCobrowse(c); err != nil {
			return err
		}
		t.cobrowseEvent(c)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cobrowseAPI(c))
	return nil
}

// restGetCobrowse shows a session to the company's backend.
func (s *Server) restGetCobrowse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.loadCobrowse(r.Context(), s.db, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cobrowseAPI(c))
	return nil
}

// restEndCobrowse is the agent ending a session; ending an ended one is
// idempotent.
func (s *Server) restEndCobrowse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var c *cobrowseRow
	err = s.write(r.Context(), func(t *txn) error {
		if c, err = s.loadCobrowse(t.ctx, t.tx, id); err != nil {
			return err
		}
		if c.Status == api.CobrowseEnded {
			return nil
		}
		c.Status, c.EndedAt = api.CobrowseEnded, s.now().UnixMilli()
		if err := t.tx.EndCobrowse(c); err != nil {
			return err
		}
		t.cobrowseEvent(c)
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cobrowseAPI(c))
	return nil
}
