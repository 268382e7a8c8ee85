package chat

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// The rules of the calls the APIs place: an end user's call now or in an
// offered slot, an agent's call back, a cancellation, and the REST view.

// TimeSlots lists the scheduled-call slots offered from now on: every
// SlotMinutes within opening hours for SlotDays days, the first at least
// one slot away.
func (s *Domain) TimeSlots(now time.Time) []time.Time {
	step := time.Duration(s.company.SlotMinutes) * time.Minute
	if step <= 0 {
		step = 30 * time.Minute
	}
	days := s.company.SlotDays
	if days <= 0 {
		days = 1
	}
	start := now.UTC().Truncate(step).Add(2 * step)
	end := now.Add(time.Duration(days) * 24 * time.Hour)
	var out []time.Time
	for t := start; t.Before(end); t = t.Add(step) {
		if !s.IsAfterHours(t) {
			out = append(out, t)
		}
	}
	return out
}

// CreateCall places end user endUserID's call (createCall): on a voice
// menu, to a valid phone number, now (one call in progress at a time) or
// in one of the offered TimeSlots.
func (s *Domain) CreateCall(ctx context.Context, endUserID int64, req api.CallRequest) (*Call, error) {
	if req.MenuID <= 0 {
		return nil, api.Errorf(api.CodeInvalidArgument, "menu_id is required")
	}
	m, lang, err := s.company.ChannelMenu(req.MenuID, api.ChannelVoiceCall, req.Lang)
	if err != nil {
		return nil, err
	}
	phone, err := NormalizePhone(req.PhoneNumber)
	if err != nil {
		return nil, err
	}
	if !req.RecordingPermission.Valid() {
		return nil, api.Errorf(api.CodeInvalidArgument, "recording_permission %q is not one of %s, %s, %s",
			req.RecordingPermission, api.RecordingNotAsked, api.RecordingGranted, api.RecordingDenied)
	}
	if req.Email != "" {
		if _, err := CheckEmail(req.Email); err != nil {
			return nil, err
		}
	}
	fields, _, err := s.VerifyCustomData(req.CustomData)
	if err != nil {
		return nil, err
	}
	cd := ""
	if len(fields) > 0 {
		b, err := json.Marshal(fields)
		if err != nil {
			return nil, err
		}
		cd = string(b)
	}
	now := s.now()
	typ, status, next, scheduled := api.CallTypeInstant, api.CallQueued, now.Add(s.CallStep()), time.Time{}
	if strings.TrimSpace(req.ScheduledAt) != "" {
		at, err := ParseScheduled(req.ScheduledAt)
		if err != nil {
			return nil, err
		}
		offered := false
		for _, slot := range s.TimeSlots(now) {
			offered = offered || slot.Equal(at)
		}
		if !offered {
			return nil, api.Errorf(api.CodeInvalidArgument, "scheduled_at %s is not one of the offered time slots (getTimeSlots)", at.UTC().Format(time.RFC3339))
		}
		typ, status, next, scheduled = api.CallTypeScheduled, api.CallScheduled, at, at
	}
	var c *Call
	err = s.Write(ctx, func(t *Txn) error {
		if typ == api.CallTypeInstant {
			n, err := store.CallsInProgress(t.Ctx, t.Tx, endUserID)
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
		id, err := t.Tx.InsertCall(store.NewCall{
			Company: s.company.ID, EndUserID: endUserID, MenuID: m.ID, Lang: lang, Type: typ, Status: status, Phone: phone,
			ScheduledAt: sched, Recording: string(req.RecordingPermission), TicketID: req.TicketID, Email: req.Email, CustomData: cd,
			NextAt: next.UnixMilli(), Now: now.UnixMilli(),
		})
		if err != nil {
			return err
		}
		c, err = s.LoadCall(t.Ctx, t.Tx, id)
		return err
	})
	return c, err
}

// ScheduleCallBack schedules an agent's call back to the end user of chat
// chatID on the chat's menu, at any future time the agent agrees with
// them.
func (s *Domain) ScheduleCallBack(ctx context.Context, chatID int64, phoneNumber, scheduledAt string) (*Call, error) {
	phone, err := NormalizePhone(phoneNumber)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(scheduledAt) == "" {
		return nil, api.Errorf(api.CodeInvalidArgument, "scheduled_at is required")
	}
	at, err := ParseScheduled(scheduledAt)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !at.After(now) {
		return nil, api.Errorf(api.CodeInvalidArgument, "scheduled_at must be in the future")
	}
	var call *Call
	err = s.Write(ctx, func(t *Txn) error {
		c, err := s.LoadChat(t.Ctx, t.Tx, chatID)
		if err != nil {
			return err
		}
		m := s.company.FindMenu(c.MenuID)
		if m == nil || !m.Has(api.ChannelVoiceCall) {
			return api.Errorf(api.CodeInvalidArgument, "chat %d's menu has no voice_call channel", c.ID)
		}
		cid, err := t.Tx.InsertCall(store.NewCall{
			Company: s.company.ID, EndUserID: c.EndUserID, MenuID: m.ID, Lang: c.Lang, Type: api.CallTypeScheduled,
			Status: api.CallScheduled, Phone: phone, ScheduledAt: at.UnixMilli(), NextAt: at.UnixMilli(), Now: now.UnixMilli(),
		})
		if err != nil {
			return err
		}
		call, err = s.LoadCall(t.Ctx, t.Tx, cid)
		return err
	})
	return call, err
}

// CancelCall cancels c unless it already ended.
func (t *Txn) CancelCall(c *Call) error {
	if CallFinal(c.Status) {
		return api.Errorf(api.CodeConflict, "call %d is %s and cannot be cancelled", c.ID, c.Status)
	}
	return t.SetCallStatus(c, api.CallCancelled, 0)
}

// RESTCall is a call as the REST API (and the agent console) shows it:
// the end-user call object plus end_user_id, whose call it is.
func (s *Domain) RESTCall(c *Call) (map[string]any, error) {
	b, err := json.Marshal(s.APICall(c))
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

// RESTCalls is the company's newest calls, at most n, as RESTCall shows
// them.
func (s *Domain) RESTCalls(ctx context.Context, n int) ([]map[string]any, error) {
	calls, err := store.RecentCalls(ctx, s.db, s.company.ID, n)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, c := range calls {
		rc, err := s.RESTCall(c)
		if err != nil {
			return nil, err
		}
		out = append(out, rc)
	}
	return out, nil
}
