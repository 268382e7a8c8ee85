package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// defaultCallStep is how long each simulated call phase lasts.
const defaultCallStep = 5 * time.Second

// e164 is a phone number in E.164 form: "+" then 7 to 15 digits (the
// documented example "+12345678" has 8).
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// scheduledFormats are the accepted forms of CallRequest.ScheduledAt: the
// documented "2023-05-31T11:45+0000", the slot string "2023-05-31 11:45
// +0000", and RFC 3339.
var scheduledFormats = []string{"2006-01-02T15:04-0700", "2006-01-02 15:04 -0700", "2006-01-02T15:04:05-0700", time.RFC3339}

// callRow is a call as stored.
type callRow = store.Call

func (s *Server) callStep() time.Duration {
	if s.cfg.CallStep > 0 {
		return s.cfg.CallStep
	}
	return defaultCallStep
}

// loadCall reads call id of this company; a missing call is not_found.
func (s *Server) loadCall(ctx context.Context, q querier, id int64) (*callRow, error) {
	c, err := store.LoadCall(ctx, q, s.company.ID, id)
	if errors.Is(err, store.ErrNoRows) {
		return nil, api.Errorf(api.CodeNotFound, "call %d not found", id)
	}
	return c, err
}

// ownCall loads a call of end user u; another user's call is not_found.
func (s *Server) ownCall(ctx context.Context, q querier, u *endUser, id int64) (*callRow, error) {
	c, err := s.loadCall(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if c.EndUserID != u.ID {
		return nil, api.Errorf(api.CodeNotFound, "call %d not found", id)
	}
	return c, nil
}

func (s *Server) apiCall(c *callRow) api.CallResponse {
	out := api.CallResponse{
		ID: c.ID, Lang: c.Lang, MenuID: c.MenuID, Status: c.Status, Type: c.Type,
		ScheduledAt:        fmtTime(c.ScheduledAt),
		RecordingPermitted: api.RecordingPermission(c.Recording) == api.RecordingGranted,
		SurveyEnabled:      len(s.company.Survey.Questions) > 0,
		CreatedAt:          fmtTime(c.CreatedAt),
		Menus:              s.chat.MenuPath(c.MenuID, c.Lang),
		PhoneNumber:        c.Phone,
	}
	return out
}

// normalizePhone strips the spaces, dashes, dots and parentheses people
// write in phone numbers and checks the E.164 form.
func normalizePhone(p string) (string, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '(', ')':
			return -1
		}
		return r
	}, strings.TrimSpace(p))
	if !e164.MatchString(clean) {
		return "", api.Errorf(api.CodeInvalidArgument, "phone_number %q is not in E.164 form (+ then 7 to 15 digits)", p)
	}
	return clean, nil
}

// parseScheduled reads a scheduled time in any accepted form.
func parseScheduled(v string) (time.Time, error) {
	for _, f := range scheduledFormats {
		if t, err := time.Parse(f, strings.TrimSpace(v)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, api.Errorf(api.CodeInvalidArgument, "scheduled_at %q is not a time like 2023-05-31T11:45+0000", v)
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
	phone, err := normalizePhone(req.PhoneNumber)
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
	typ, status, next, scheduled := api.CallTypeInstant, api.CallQueued, now.Add(s.callStep()), time.Time{}
	if strings.TrimSpace(req.ScheduledAt) != "" {
		at, err := parseScheduled(req.ScheduledAt)
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
		c, err = s.loadCall(t.ctx, t.tx, id)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.apiCall(c))
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
	writeJSON(w, http.StatusOK, s.apiCall(c))
	return nil
}

// callFinal reports whether a call status can no longer change.
func callFinal(status string) bool {
	return status == api.CallFinished || status == api.CallCancelled || status == api.CallFailed
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
		if callFinal(c.Status) {
			return api.Errorf(api.CodeConflict, "call %d is %s and cannot be cancelled", c.ID, c.Status)
		}
		return t.setCallStatus(c, api.CallCancelled, 0)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.apiCall(c))
	return nil
}

func (t *txn) setCallStatus(c *callRow, status string, next int64) error {
	c.Status, c.NextAt = status, next
	return t.tx.SetCallStatus(c.ID, status, next, t.s.now().UnixMilli())
}

// nextCallStatus is the simulated lifecycle: a scheduled call is queued at
// its time, then every call connects, talks and finishes, one step each.
var nextCallStatus = map[string]string{
	api.CallScheduled:  api.CallQueued,
	api.CallQueued:     api.CallConnecting,
	api.CallConnecting: api.CallConnected,
	api.CallConnected:  api.CallFinished,
}

// unreachable reports whether the simulated carrier fails to reach phone:
// numbers ending in 0000 ring out, so that a page can see a call fail.
func unreachable(phone string) bool { return strings.HasSuffix(phone, "0000") }

// runCalls drives the simulated call lifecycle: every call whose next_at
// has passed on the server's clock moves one step. State is in the
// database, so a restart picks up where it stopped.
func (s *Server) runCalls(ctx context.Context) {
	tick := min(max(s.callStep()/4, 5*time.Millisecond), time.Second)
	for s.sleep(ctx, tick) {
		if err := s.advanceCalls(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("call simulator", "err", err)
		}
	}
}

func (s *Server) advanceCalls(ctx context.Context) error {
	return s.write(ctx, func(t *txn) error {
		now := s.now()
		due, err := store.DueCalls(t.ctx, t.tx, s.company.ID, now.UnixMilli())
		if err != nil {
			return err
		}
		for _, c := range due {
			next, ok := nextCallStatus[c.Status]
			if c.Status == api.CallConnecting && unreachable(c.Phone) {
				next = api.CallFailed
			}
			if !ok {
				if err := t.setCallStatus(c, c.Status, 0); err != nil {
					return err
				}
				continue
			}
			at := now.Add(s.callStep()).UnixMilli()
			if callFinal(next) {
				at = 0
			}
			if err := t.setCallStatus(c, next, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// restCall is a call as the REST API shows it: the end-user call object
// plus end_user_id, whose call it is.
func (s *Server) restCall(c *callRow) (map[string]any, error) {
	b, err := json.Marshal(s.apiCall(c))
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
	c, err := s.loadCall(r.Context(), s.db, id)
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
