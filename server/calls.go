package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/store"
)

// callRow is a call as stored.
type callRow = chat.Call

// ownCall loads a call of end user u; another user's call is not_found.
func (s *Server) ownCall(ctx context.Context, q querier, u *endUser, id int64) (*callRow, error) {
	return s.chat.OwnCall(ctx, q, u.ID, id)
}

func (s *Server) handleCreateCall(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.CallRequest
	if err := readJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.MenuID <= 0 {
		return api.Errorf(api.CodeInvalidArgument, "menu_id is required")
	}
	m, lang, err := s.company.ChannelMenu(req.MenuID, api.ChannelVoiceCall, req.Lang)
	if err != nil {
		return err
	}
	phone, err := chat.NormalizePhone(req.PhoneNumber)
	if err != nil {
		return err
	}
	if !req.RecordingPermission.Valid() {
		return api.Errorf(api.CodeInvalidArgument, "recording_permission %q is not one of %s, %s, %s",
			req.RecordingPermission, api.RecordingNotAsked, api.RecordingGranted, api.RecordingDenied)
	}
	if req.Email != "" {
		if _, err := checkEmail(req.Email); err != nil {
			return err
		}
	}
	fields, _, err := s.chat.VerifyCustomData(req.CustomData)
	if err != nil {
		return err
	}
	cd := ""
	if len(fields) > 0 {
		b, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		cd = string(b)
	}
	now := s.now()
	typ, status, next, scheduled := api.CallTypeInstant, api.CallQueued, now.Add(s.chat.CallStep()), time.Time{}
	if strings.TrimSpace(req.ScheduledAt) != "" {
		at, err := chat.ParseScheduled(req.ScheduledAt)
		if err != nil {
			return err
		}
		offered := false
		for _, slot := range s.timeSlots(now) {
			offered = offered || slot.Equal(at)
		}
		if !offered {
			return api.Errorf(api.CodeInvalidArgument, "scheduled_at %s is not one of the offered time slots (getTimeSlots)", at.UTC().Format(time.RFC3339))
		}
		typ, status, next, scheduled = api.CallTypeScheduled, api.CallScheduled, at, at
	}
	var c *callRow
	err = s.write(r.Context(), func(t *txn) error {
		if typ == api.CallTypeInstant {
			n, err := store.CallsInProgress(t.ctx, t.tx, u.ID)
			if err != nil {
				return err
			}
			if n > 0 {
				return api.Errorf(api.CodeConflict, "the end user already has a call in progress")
			}
		}
		sched := int64(0)
		if !scheduled.IsZero() {
			sched = scheduled.UnixMilli()
		}
		id, err := t.tx.InsertCall(store.NewCall{
			Company: s.company.ID, EndUserID: u.ID, MenuID: m.ID, Lang: lang, Type: typ, Status: status, Phone: phone,
			ScheduledAt: sched, Recording: string(req.RecordingPermission), TicketID: req.TicketID, Email: req.Email, CustomData: cd,
			NextAt: next.UnixMilli(), Now: now.UnixMilli(),
		})
		if err != nil {
			return err
		}
		c, err = s.chat.LoadCall(t.ctx, t.tx, id)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.chat.APICall(c))
	return nil
}

func (s *Server) handleGetCall(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.ownCall(r.Context(), s.db, u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.chat.APICall(c))
	return nil
}

func (s *Server) handleCancelCall(w http.ResponseWriter, r *http.Request, u *endUser) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var c *callRow
	err = s.write(r.Context(), func(t *txn) error {
		if c, err = s.ownCall(t.ctx, t.tx, u, id); err != nil {
			return err
		}
		if chat.CallFinal(c.Status) {
			return api.Errorf(api.CodeConflict, "call %d is %s and cannot be cancelled", c.ID, c.Status)
		}
		return t.SetCallStatus(c, api.CallCancelled, 0)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.chat.APICall(c))
	return nil
}

// restCall is a call as the REST API shows it: the end-user call object
// plus end_user_id, whose call it is.
func (s *Server) restCall(c *callRow) (map[string]any, error) {
	b, err := json.Marshal(s.chat.APICall(c))
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	out["end_user_id"] = c.EndUserID
	return out, nil
}

func (s *Server) restListCalls(w http.ResponseWriter, r *http.Request) error {
	calls, err := store.RecentCalls(r.Context(), s.db, s.company.ID, 100)
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

func (s *Server) restGetCall(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.chat.LoadCall(r.Context(), s.db, id)
	if err != nil {
		return err
	}
	rc, err := s.restCall(c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rc)
	return nil
}
