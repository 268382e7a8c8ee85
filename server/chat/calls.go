package chat

import (
	"context"
	"errors"
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

// Call is a call as stored.
type Call = store.Call

// CallStep is how long each simulated call phase lasts (Config.CallStep).
func (s *Domain) CallStep() time.Duration {
	if s.cfg.CallStep > 0 {
		return s.cfg.CallStep
	}
	return defaultCallStep
}

// LoadCall reads call id of this company; a missing call is not_found.
func (s *Domain) LoadCall(ctx context.Context, q Querier, id int64) (*Call, error) {
	c, err := store.LoadCall(ctx, q, s.company.ID, id)
	if errors.Is(err, store.ErrNoRows) {
		return nil, api.Errorf(api.CodeNotFound, "call %d not found", id)
	}
	return c, err
}

// OwnCall loads a call of end user endUserID; another user's call is
// not_found.
func (s *Domain) OwnCall(ctx context.Context, q Querier, endUserID, id int64) (*Call, error) {
	c, err := s.LoadCall(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if c.EndUserID != endUserID {
		return nil, api.Errorf(api.CodeNotFound, "call %d not found", id)
	}
	return c, nil
}

// APICall is a call as the end-user API shows it.
func (s *Domain) APICall(c *Call) api.CallResponse {
	out := api.CallResponse{
		ID: c.ID, Lang: c.Lang, MenuID: c.MenuID, Status: c.Status, Type: c.Type,
		ScheduledAt:        FmtTime(c.ScheduledAt),
		RecordingPermitted: api.RecordingPermission(c.Recording) == api.RecordingGranted,
		SurveyEnabled:      len(s.company.Survey.Questions) > 0,
		CreatedAt:          FmtTime(c.CreatedAt),
		Menus:              s.MenuPath(c.MenuID, c.Lang),
		PhoneNumber:        c.Phone,
	}
	return out
}

// NormalizePhone strips the spaces, dashes, dots and parentheses people
// write in phone numbers and checks the E.164 form.
func NormalizePhone(p string) (string, error) {
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

// ParseScheduled reads a scheduled time in any accepted form.
func ParseScheduled(v string) (time.Time, error) {
	for _, f := range scheduledFormats {
		if t, err := time.Parse(f, strings.TrimSpace(v)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, api.Errorf(api.CodeInvalidArgument, "scheduled_at %q is not a time like 2023-05-31T11:45+0000", v)
}

// CallFinal reports whether a call status can no longer change.
func CallFinal(status string) bool {
	return status == api.CallFinished || status == api.CallCancelled || status == api.CallFailed
}

// SetCallStatus moves call c to status, next due at next (Unix ms, 0: never).
func (t *Txn) SetCallStatus(c *Call, status string, next int64) error {
	c.Status, c.NextAt = status, next
	return t.Tx.SetCallStatus(c.ID, status, next, t.s.now().UnixMilli())
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

// RunCalls drives the simulated call lifecycle: every call whose next_at
// has passed on the server's clock moves one step. State is in the
// database, so a restart picks up where it stopped.
func (s *Domain) RunCalls(ctx context.Context) {
	tick := min(max(s.CallStep()/4, 5*time.Millisecond), time.Second)
	for Sleep(ctx, tick) {
		if err := s.advanceCalls(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("call simulator", "err", err)
		}
	}
}

// advanceCalls moves every due call one step.
func (s *Domain) advanceCalls(ctx context.Context) error {
	return s.Write(ctx, func(t *Txn) error {
		now := s.now()
		due, err := store.DueCalls(t.Ctx, t.Tx, s.company.ID, now.UnixMilli())
		if err != nil {
			return err
		}
		for _, c := range due {
			next, ok := nextCallStatus[c.Status]
			if c.Status == api.CallConnecting && unreachable(c.Phone) {
				next = api.CallFailed
			}
			if !ok {
				if err := t.SetCallStatus(c, c.Status, 0); err != nil {
					return err
				}
				continue
			}
			at := now.Add(s.CallStep()).UnixMilli()
			if CallFinal(next) {
				at = 0
			}
			if err := t.SetCallStatus(c, next, at); err != nil {
				return err
			}
		}
		return nil
	})
}
