package chat

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
)

// Kinds of chat_feedback rows.
const (
	FeedbackSurvey     = "survey"
	FeedbackRating     = "rating"
	feedbackEvent      = "end_user_event"
	feedbackEscalation = "escalation_track"
)

// MaxFeedbackLength bounds the free text an end user leaves about a chat
// (a rating's feedback, a free-form answer), in characters.
const MaxFeedbackLength = 2000

// deflectionChannels are the channels an end user may pick while waiting.
var deflectionChannels = map[string]bool{channelEmail: true, channelKeepWaiting: true, channelVirtualAgent: true, channelExternalLink: true}

// IsDeflectionChannel reports whether channel is one an escalation can be
// deflected to.
func IsDeflectionChannel(channel string) bool { return deflectionChannels[channel] }

func (t *Txn) feedback(chatID int64, kind string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return t.Tx.InsertFeedback(chatID, kind, b, t.s.now().UnixMilli())
}

// chatFeedback stores c's survey answers or rating and marks the chat:
// survey_answered and rated are fields of the chat, so clients and the
// agent feed learn of them through a chat event.
func (t *Txn) chatFeedback(c *Row, kind string, v any) error {
	if err := t.feedback(c.ID, kind, v); err != nil {
		return err
	}
	mark, flag := t.Tx.MarkRated, &c.Rated
	if kind == FeedbackSurvey {
		mark, flag = t.Tx.MarkSurveyAnswered, &c.SurveyAnswered
	}
	if err := mark(c.ID); err != nil {
		return err
	}
	*flag = true
	return t.ChatEvent(c)
}

// Deflection is the deflection configuration that applies to c: the
// company's options, with enabled false when the company or the chat's
// menu turns deflection off.
func (s *Domain) Deflection(c *Row) api.ChatDeflectionResponse {
	d := s.company.Deflection
	if m := s.company.FindMenu(c.MenuID); m == nil || (m.Deflection != nil && !m.Deflection.Enabled) {
		d.Enabled = false
	}
	if d.ExternalDeflectionLinks.IDs == nil {
		d.ExternalDeflectionLinks.IDs = []int64{}
	}
	return d
}

// Survey is the company's post-chat survey in c's language.
func (s *Domain) Survey(c *Row) api.ChatSurveyResponse {
	sv := s.company.Survey
	signOff := sv.SignOff[c.Lang]
	if signOff == "" {
		signOff = sv.SignOff["en"]
	}
	qs := sv.Questions
	if qs == nil {
		qs = []api.QuestionItem{}
	}
	return api.ChatSurveyResponse{ID: sv.ID, Lang: c.Lang, SignOffDisplayText: signOff, Questions: qs}
}

// validAnswer checks one survey answer against its question.
func validAnswer(q api.QuestionItem, raw api.Raw) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return api.Errorf(api.CodeBadRequest, "answer to question %d is not JSON", q.ID)
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return api.Errorf(api.CodeInvalidArgument, "answer to question %d must be a string or a number", q.ID)
	}
	switch q.Type {
	case api.QuestionFreeForm:
		if utf8.RuneCountInString(s) > MaxFeedbackLength {
			return api.Errorf(api.CodeTooLarge, "answer to question %d is over %d characters", q.ID, MaxFeedbackLength)
		}
		return nil
	case api.QuestionScale:
		if len(q.ValidAnswers) >= 2 {
			n, err := strconv.ParseFloat(s, 64)
			lo, err1 := strconv.ParseFloat(q.ValidAnswers[0].Key, 64)
			hi, err2 := strconv.ParseFloat(q.ValidAnswers[len(q.ValidAnswers)-1].Key, 64)
			if err != nil || err1 != nil || err2 != nil || n < lo || n > hi {
				return api.Errorf(api.CodeInvalidArgument, "answer to question %d must be between %s and %s", q.ID, q.ValidAnswers[0].Key, q.ValidAnswers[len(q.ValidAnswers)-1].Key)
			}
			return nil
		}
	}
	for _, a := range q.ValidAnswers {
		if a.Key == s {
			return nil
		}
	}
	if len(q.ValidAnswers) == 0 {
		return nil
	}
	return api.Errorf(api.CodeInvalidArgument, "%q is not a valid answer to question %d", s, q.ID)
}

// AnswerSurvey checks answers against the company's survey and stores
// them; a chat's survey is answered once.
func (t *Txn) AnswerSurvey(c *Row, answers api.SurveyAnswers) error {
	if len(answers) == 0 {
		return api.Errorf(api.CodeInvalidArgument, "answers are empty")
	}
	qs := t.s.company.Survey.Questions
	for k, raw := range answers {
		var q *api.QuestionItem
		for i := range qs {
			if strconv.FormatInt(qs[i].ID, 10) == k {
				q = &qs[i]
			}
		}
		if q == nil {
			return api.Errorf(api.CodeInvalidArgument, "no survey question %q", k)
		}
		if err := validAnswer(*q, raw); err != nil {
			return err
		}
	}
	if c.SurveyAnswered {
		return api.Errorf(api.CodeConflict, "the survey of chat %d was already answered", c.ID)
	}
	return t.chatFeedback(c, FeedbackSurvey, answers)
}

// Rate stores the end user's rating of c (1 to 5, with optional
// feedback); a chat is rated once.
func (t *Txn) Rate(c *Row, req api.RateRequest) error {
	if req.Rating < 1 || req.Rating > 5 {
		return api.Errorf(api.CodeInvalidArgument, "rating must be between 1 and 5")
	}
	if utf8.RuneCountInString(req.Feedback) > MaxFeedbackLength {
		return api.Errorf(api.CodeTooLarge, "feedback is over %d characters", MaxFeedbackLength)
	}
	if c.Rated {
		return api.Errorf(api.CodeConflict, "chat %d was already rated", c.ID)
	}
	return t.chatFeedback(c, FeedbackRating, req)
}

// SetPostSession sets c's post-session status.
func (t *Txn) SetPostSession(c *Row, status string) error {
	switch status {
	case api.PostSessionReady, api.PostSessionInProgress, api.PostSessionWaiting, api.PostSessionFinished:
	default:
		return api.Errorf(api.CodeInvalidArgument, "post-session status must be ready, in_progress, waiting or finished")
	}
	c.PSStatus = status
	if err := t.Tx.SetPostSessionStatus(c.ID, status); err != nil {
		return err
	}
	return t.ChatEvent(c)
}

// TrackEscalation records the end user's pick of a deflection channel for
// escalation eid of c, and applies it (ChooseDeflection).
func (t *Txn) TrackEscalation(c *Row, eid int64, channel string) error {
	if !deflectionChannels[channel] {
		return api.Errorf(api.CodeInvalidArgument, "channel must be email, keep_waiting, virtual_agent or external_link")
	}
	found, err := t.Tx.SetEscalationChannel(c.ID, eid, channel)
	if err != nil {
		return err
	}
	if !found {
		return api.Errorf(api.CodeNotFound, "escalation %d not found", eid)
	}
	if err := t.ChooseDeflection(c, eid, channel); err != nil {
		return err
	}
	return t.feedback(c.ID, feedbackEscalation, map[string]any{"escalation_id": eid, "channel": channel})
}

// EndUserEvent records an event the end user's app reports on c.
func (t *Txn) EndUserEvent(c *Row, req api.ChatEndUserEventRequest) error {
	if req.Event == "" && req.EndUserName == "" && req.Data.IsZero() {
		return api.Errorf(api.CodeInvalidArgument, "the event is empty")
	}
	return t.feedback(c.ID, feedbackEvent, req)
}
