package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// Kinds of chat_feedback rows.
const (
	feedbackSurvey     = "survey"
	feedbackRating     = "rating"
	feedbackEvent      = "end_user_event"
	feedbackEscalation = "escalation_track"
)

// Limits of free text an end user leaves about a chat.
const (
	maxFeedbackLength = 2000
	historyPageSize   = 10
)

// Deflection channels an end user may pick while waiting.
var deflectionChannels = map[string]bool{"email": true, "keep_waiting": true, "virtual_agent": true, "external_link": true}

func (t *txn) feedback(chatID int64, kind string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return t.tx.InsertFeedback(chatID, kind, b, t.s.now().UnixMilli())
}

// chatFeedback stores c's survey answers or rating and marks the chat:
// survey_answered and rated are fields of the chat, so clients and the
// agent feed learn of them through a chat event.
func (t *txn) chatFeedback(c *chatRow, kind string, v any) error {
	if err := t.feedback(c.ID, kind, v); err != nil {
		return err
	}
	mark, flag := t.tx.MarkRated, &c.Rated
	if kind == feedbackSurvey {
		mark, flag = t.tx.MarkSurveyAnswered, &c.SurveyAnswered
	}
	if err := mark(c.ID); err != nil {
		return err
	}
	*flag = true
	return t.ChatEvent(c)
}

// ownChatRequest decodes the body of a route on the caller's own chat and
// runs fn in a write transaction; it answers resp() afterwards.
func (s *Server) ownChatRequest(w http.ResponseWriter, r *http.Request, u *endUser, body any, optional bool,
	fn func(t *txn, c *chatRow) error) (*chatRow, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	if body != nil {
		if err := readJSON(w, r, body, optional); err != nil {
			return nil, err
		}
	}
	var c *chatRow
	err = s.write(r.Context(), func(t *txn) error {
		if c, err = s.ownChat(t.ctx, t.tx, u, id); err != nil {
			return err
		}
		return fn(t, c)
	})
	return c, err
}

func (s *Server) handleTyping(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.TypingRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *txn, c *chatRow) error {
		if !api.IsOngoing(c.Status) {
			return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
		}
		typ := api.EventTypingEnd
		if req.Typing {
			typ = api.EventTypingStart
		}
		t.Emit(api.Event{Type: typ, ChatID: c.ID, Identity: &api.Identity{ID: u.ID, Name: u.Name, UserType: api.UserEndUser}})
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

// handlePreview takes the text the end user is typing. Only agents see
// previews, so nothing reaches the end user's realtime channel.
func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.PreviewRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *txn, c *chatRow) error {
		if !s.company.MessagePreview {
			return api.Errorf(api.CodeForbidden, "message preview is disabled for this company")
		}
		if n := utf8.RuneCountInString(req.Content); n > api.MaxTextLength {
			return api.Errorf(api.CodeTooLarge, "preview is %d characters, over the %d limit", n, api.MaxTextLength)
		}
		if !api.IsOngoing(c.Status) {
			return api.Errorf(api.CodeConflict, "chat %d is %s", c.ID, c.Status)
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

// handleDeflection answers the chat's deflection configuration, always an
// object (000 documents getChatDeflection as returning a
// ChatDeflectionResponse): the company's options, with enabled false when
// the company or the chat's menu turns deflection off. Apps read it before
// they escalate, not only while the chat is queued.
func (s *Server) handleDeflection(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.chatDeflection(c))
	return nil
}

// chatDeflection is the deflection configuration that applies to c.
func (s *Server) chatDeflection(c *chatRow) api.ChatDeflectionResponse {
	d := s.company.Deflection
	if m := s.company.FindMenu(c.MenuID); m == nil || (m.Deflection != nil && !m.Deflection.Enabled) {
		d.Enabled = false
	}
	if d.ExternalDeflectionLinks.IDs == nil {
		d.ExternalDeflectionLinks.IDs = []int64{}
	}
	return d
}

func (s *Server) handleGetSurvey(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	sv := s.company.Survey
	signOff := sv.SignOff[c.Lang]
	if signOff == "" {
		signOff = sv.SignOff["en"]
	}
	qs := sv.Questions
	if qs == nil {
		qs = []api.QuestionItem{}
	}
	writeJSON(w, http.StatusOK, api.ChatSurveyResponse{ID: sv.ID, Lang: c.Lang, SignOffDisplayText: signOff, Questions: qs})
	return nil
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
		if utf8.RuneCountInString(s) > maxFeedbackLength {
			return api.Errorf(api.CodeTooLarge, "answer to question %d is over %d characters", q.ID, maxFeedbackLength)
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

func (s *Server) handleSendSurvey(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.SurveyRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *txn, c *chatRow) error {
		if len(req.Answers) == 0 {
			return api.Errorf(api.CodeInvalidArgument, "answers are empty")
		}
		for k, raw := range req.Answers {
			var q *api.QuestionItem
			for i := range s.company.Survey.Questions {
				if strconv.FormatInt(s.company.Survey.Questions[i].ID, 10) == k {
					q = &s.company.Survey.Questions[i]
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
		return t.chatFeedback(c, feedbackSurvey, req.Answers)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

func (s *Server) handleRate(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.RateRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *txn, c *chatRow) error {
		if req.Rating < 1 || req.Rating > 5 {
			return api.Errorf(api.CodeInvalidArgument, "rating must be between 1 and 5")
		}
		if utf8.RuneCountInString(req.Feedback) > maxFeedbackLength {
			return api.Errorf(api.CodeTooLarge, "feedback is over %d characters", maxFeedbackLength)
		}
		if c.Rated {
			return api.Errorf(api.CodeConflict, "chat %d was already rated", c.ID)
		}
		return t.chatFeedback(c, feedbackRating, req)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

func (s *Server) handlePostSession(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.PostSessionRequest
	c, err := s.ownChatRequest(w, r, u, &req, false, func(t *txn, c *chatRow) error {
		switch req.Status {
		case api.PostSessionReady, api.PostSessionInProgress, api.PostSessionWaiting, api.PostSessionFinished:
		default:
			return api.Errorf(api.CodeInvalidArgument, "post-session status must be ready, in_progress, waiting or finished")
		}
		c.PSStatus = req.Status
		if err := t.tx.SetPostSessionStatus(c.ID, req.Status); err != nil {
			return err
		}
		return t.ChatEvent(c)
	})
	if err != nil {
		return err
	}
	return s.writeChat(w, r, c)
}

func (s *Server) handleTrackEscalation(w http.ResponseWriter, r *http.Request, u *endUser) error {
	eid, err := pathID(r, "eid")
	if err != nil {
		return err
	}
	var req api.TrackEscalationRequest
	_, err = s.ownChatRequest(w, r, u, &req, false, func(t *txn, c *chatRow) error {
		if !deflectionChannels[req.Channel] {
			return api.Errorf(api.CodeInvalidArgument, "channel must be email, keep_waiting, virtual_agent or external_link")
		}
		found, err := t.tx.SetEscalationChannel(c.ID, eid, req.Channel)
		if err != nil {
			return err
		}
		if !found {
			return api.Errorf(api.CodeNotFound, "escalation %d not found", eid)
		}
		if err := t.ChooseDeflection(c, eid, req.Channel); err != nil {
			return err
		}
		return t.feedback(c.ID, feedbackEscalation, map[string]any{"escalation_id": eid, "channel": req.Channel})
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

func (s *Server) handleEndUserEvent(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.ChatEndUserEventRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *txn, c *chatRow) error {
		if req.Event == "" && req.EndUserName == "" && req.Data.IsZero() {
			return api.Errorf(api.CodeInvalidArgument, "the event is empty")
		}
		return t.feedback(c.ID, feedbackEvent, req)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

// handleChatHistory pages the end user's past chats, newest first, with
// their messages.
func (s *Server) handleChatHistory(w http.ResponseWriter, r *http.Request, u *endUser) error {
	page, err := queryInt(r, "page", 1)
	if err != nil {
		return err
	}
	if page < 1 {
		page = 1
	}
	chats, err := store.EndedChats(r.Context(), s.db, u.ID, historyPageSize+1, int(page-1)*historyPageSize)
	if err != nil {
		return err
	}
	resp := api.ChatHistoryResponse{Chats: []api.ChatHistoryItem{}, MissingChatIDs: []int64{}, Pagination: api.Pagination{PerPage: historyPageSize}}
	if len(chats) > historyPageSize {
		chats = chats[:historyPageSize]
		resp.Pagination.NextPage = int(page) + 1
	}
	for _, c := range chats {
		ms, err := s.chat.Messages(r.Context(), s.db, c.ID, 0, 0, maxPageSize)
		if err != nil {
			return err
		}
		resp.Chats = append(resp.Chats, api.ChatHistoryItem{CommID: c.ID, AssignedAt: fmtTime(c.CreatedAt), CommType: "chat", Timezone: "UTC", Entries: ms})
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
