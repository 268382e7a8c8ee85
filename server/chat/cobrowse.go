package chat

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// cobrowseCodeTTL is how long a screen-share code can be used.
const cobrowseCodeTTL = 10 * time.Minute

// MaxCobrowseFrom bounds startCobrowse's "from".
const MaxCobrowseFrom = 255

// Cobrowse is a screen-share session as stored. Its code is 6 digits,
// unique among the codes that are still live (not expired, session not
// ended).
type Cobrowse = store.Cobrowse

// APICobrowse is a session on the wire.
func APICobrowse(c *Cobrowse) api.CobrowseSession {
	return api.CobrowseSession{ID: c.ID, Code: c.Code, Status: c.Status, ChatID: c.ChatID, From: c.From,
		StartedAt: FmtTime(c.StartedAt), EndedAt: FmtTime(c.EndedAt)}
}

// LoadCobrowse reads session id of the company; a missing one is
// not_found.
func (s *Domain) LoadCobrowse(ctx context.Context, q Querier, id int64) (*Cobrowse, error) {
	c, err := store.LoadCobrowse(ctx, q, s.company.ID, id)
	if errors.Is(err, store.ErrNoRows) {
		return nil, api.Errorf(api.CodeNotFound, "cobrowse session %d not found", id)
	}
	return c, err
}

// cobrowseChat resolves the chat a session is tied to: the one named,
// which must be the end user's own, or else their ongoing chat (0 if none).
func (t *Txn) cobrowseChat(endUserID, chatID int64) (int64, error) {
	if chatID != 0 {
		c, err := t.s.OwnChat(t.Ctx, t.Tx, endUserID, chatID)
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	}
	c, err := t.s.OngoingChat(t.Ctx, t.Tx, endUserID)
	if err != nil || c == nil {
		return 0, err
	}
	return c.ID, nil
}

// newCobrowseCode draws a 6-digit code that no live session of the company
// holds.
func (t *Txn) newCobrowseCode() (string, error) {
	now := t.s.now().UnixMilli()
	for range 50 {
		n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
		if err != nil {
			return "", err
		}
		code := fmt.Sprintf("%06d", n.Int64())
		taken, err := store.CobrowseCodeTaken(t.Ctx, t.Tx, t.s.company.ID, code, now)
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
func (t *Txn) insertCobrowse(endUserID, chatID int64, status, from, lang, customData string) (*Cobrowse, error) {
	code, err := t.newCobrowseCode()
	if err != nil {
		return nil, err
	}
	now := t.s.now()
	started := int64(0)
	if status == api.CobrowseActive {
		started = now.UnixMilli()
	}
	id, err := t.Tx.InsertCobrowse(store.NewCobrowse{
		Company: t.s.company.ID, EndUserID: endUserID, ChatID: chatID, Code: code, CodeExpiresAt: now.Add(cobrowseCodeTTL).UnixMilli(),
		Lang: lang, CustomData: customData, Status: status, From: from, Now: now.UnixMilli(), StartedAt: started,
	})
	if err != nil {
		return nil, err
	}
	c, err := t.s.LoadCobrowse(t.Ctx, t.Tx, id)
	if err != nil {
		return nil, err
	}
	t.cobrowseEvent(c)
	return c, nil
}

// cobrowseEvent tells the session's chat, if any, about its new state.
func (t *Txn) cobrowseEvent(c *Cobrowse) {
	if c.ChatID == 0 {
		return
	}
	cs := APICobrowse(c)
	t.Emit(api.Event{Type: api.EventCobrowse, ChatID: c.ChatID, Cobrowse: &cs})
}

// CobrowseCode is createCobrowseCode: a pending session of the end user,
// tied to chat chatID (0: their ongoing chat), with a 6-digit code they
// read out to an agent, valid ten minutes.
func (t *Txn) CobrowseCode(endUserID int64, req api.CobrowseCodeRequest) (*Cobrowse, error) {
	lang, ok := t.s.company.Lang(req.Lang)
	if !ok {
		return nil, api.Errorf(api.CodeInvalidArgument, "language %q is not supported", req.Lang)
	}
	cd := ""
	if len(req.CustomData) > 0 {
		b, err := json.Marshal(req.CustomData)
		if err != nil {
			return nil, err
		}
		cd = string(b)
	}
	chatID, err := t.cobrowseChat(endUserID, req.ChatID)
	if err != nil {
		return nil, err
	}
	return t.insertCobrowse(endUserID, chatID, api.CobrowsePending, "", lang, cd)
}

// StartCobrowse is startCobrowse: the end user's newest pending session
// whose code is still live becomes active; without one, a new session
// starts active with a fresh code.
func (t *Txn) StartCobrowse(endUserID int64, req api.StartCobrowseRequest) (*Cobrowse, error) {
	if len(req.From) > MaxCobrowseFrom {
		return nil, api.Errorf(api.CodeInvalidArgument, "from is longer than %d bytes", MaxCobrowseFrom)
	}
	chatID, err := t.cobrowseChat(endUserID, req.ChatID)
	if err != nil {
		return nil, err
	}
	now := t.s.now().UnixMilli()
	c, err := store.PendingCobrowse(t.Ctx, t.Tx, t.s.company.ID, endUserID, now)
	if errors.Is(err, store.ErrNoRows) {
		return t.insertCobrowse(endUserID, chatID, api.CobrowseActive, req.From, "", "")
	}
	if err != nil {
		return nil, err
	}
	if c.ChatID == 0 {
		c.ChatID = chatID
	}
	c.Status, c.From, c.StartedAt = api.CobrowseActive, req.From, now
	if err := t.Tx.StartCobrowse(c); err != nil {
		return nil, err
	}
	t.cobrowseEvent(c)
	return c, nil
}

// EndCobrowse is the agent ending session id; ending an ended one is
// idempotent.
func (t *Txn) EndCobrowse(id int64) (*Cobrowse, error) {
	c, err := t.s.LoadCobrowse(t.Ctx, t.Tx, id)
	if err != nil {
		return nil, err
	}
	if c.Status == api.CobrowseEnded {
		return c, nil
	}
	c.Status, c.EndedAt = api.CobrowseEnded, t.s.now().UnixMilli()
	if err := t.Tx.EndCobrowse(c); err != nil {
		return nil, err
	}
	t.cobrowseEvent(c)
	return c, nil
}
