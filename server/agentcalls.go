package server

import (
	"net/http"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/store"
)

// Calls in the agent console: list the company's calls, schedule a call
// back to a chat's end user, cancel a call. They use the same storage and
// simulated lifecycle as the end-user API's calls (calls.go).

// handleAgentCalls lists the newest calls as the REST API shows them.
func (s *Server) handleAgentCalls(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	calls, err := store.RecentCalls(r.Context(), s.db, s.company.ID, recentChats)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, c := range calls {
		rc, err := s.restCall(c)
		if err != nil {
			return err
		}
		out = append(out, rc)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// handleAgentScheduleCall schedules a call back to the end user of chat
// {id} on the chat's menu, at any future time the agent agrees with them.
func (s *Server) handleAgentScheduleCall(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		PhoneNumber string `json:"phone_number"`
		ScheduledAt string `json:"scheduled_at"`
	}
	if err := readJSON(w, r, &req, false); err != nil {
		return err
	}
	phone, err := chat.NormalizePhone(req.PhoneNumber)
	if err != nil {
		return err
	}
	if strings.TrimSpace(req.ScheduledAt) == "" {
		return api.Errorf(api.CodeInvalidArgument, "scheduled_at is required")
	}
	at, err := chat.ParseScheduled(req.ScheduledAt)
	if err != nil {
		return err
	}
	now := s.now()
	if !at.After(now) {
		return api.Errorf(api.CodeInvalidArgument, "scheduled_at must be in the future")
	}
	var call *callRow
	err = s.write(r.Context(), func(t *txn) error {
		c, err := s.chat.LoadChat(t.ctx, t.tx, id)
		if err != nil {
			return err
		}
		m := s.company.FindMenu(c.MenuID)
		if m == nil || !m.Has(api.ChannelVoiceCall) {
			return api.Errorf(api.CodeInvalidArgument, "chat %d's menu has no voice_call channel", c.ID)
		}
		cid, err := t.tx.InsertCall(store.NewCall{
			Company: s.company.ID, EndUserID: c.EndUserID, MenuID: m.ID, Lang: c.Lang, Type: api.CallTypeScheduled,
			Status: api.CallScheduled, Phone: phone, ScheduledAt: at.UnixMilli(), NextAt: at.UnixMilli(), Now: now.UnixMilli(),
		})
		if err != nil {
			return err
		}
		call, err = s.chat.LoadCall(t.ctx, t.tx, cid)
		return err
	})
	if err != nil {
		return err
	}
	rc, err := s.restCall(call)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rc)
	return nil
}

func (s *Server) handleAgentCancelCall(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var call *callRow
	err = s.write(r.Context(), func(t *txn) error {
		if call, err = s.chat.LoadCall(t.ctx, t.tx, id); err != nil {
			return err
		}
		if chat.CallFinal(call.Status) {
			return api.Errorf(api.CodeConflict, "call %d is %s and cannot be cancelled", call.ID, call.Status)
		}
		return t.SetCallStatus(call, api.CallCancelled, 0)
	})
	if err != nil {
		return err
	}
	rc, err := s.restCall(call)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rc)
	return nil
}
