package agentapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/store"
)

// agentSessionTTL is the life of an agent console session.
const agentSessionTTL = 12 * time.Hour

// recentChats bounds the finished chats and the feedback the console lists.
const recentChats = 50

// Session is the answer of a sign-in: a bearer token for every other
// agent route.
type Session struct {
	Token     string    `json:"token"`
	ExpiresAt string    `json:"expires_at"`
	Agent     api.Agent `json:"agent"`
}

// Me is the signed-in agent with their presence ("online" or
// "offline").
type Me struct {
	Agent    api.Agent `json:"agent"`
	Presence string    `json:"presence"`
}

// Rating is an end user's rating of a chat.
type Rating struct {
	Rating   int    `json:"rating"`
	Feedback string `json:"feedback,omitempty"`
}

// Chat is one chat as the console lists it.
type Chat struct {
	Chat        api.Chat          `json:"chat"`
	EndUserName string            `json:"end_user_name"`
	Deflected   bool              `json:"deflected,omitempty"`
	LastMessage *api.Message      `json:"last_message,omitempty"`
	Rating      *Rating           `json:"rating,omitempty"`
	Survey      api.SurveyAnswers `json:"survey,omitempty"`
}

// ChatLists groups the chats the console shows: the queue (oldest
// first), every ongoing escalated chat, the agent's own chats, and recent
// ended chats with their rating and survey.
type ChatLists struct {
	Queued    []Chat `json:"queued"`
	Escalated []Chat `json:"escalated"`
	Mine      []Chat `json:"mine"`
	Recent    []Chat `json:"recent"`
}

// Transcript is one chat with all its messages.
type Transcript struct {
	Chat
	Messages []api.Message `json:"messages"`
}

// Feedback is one rating or survey answer set, newest first.
type Feedback struct {
	ChatID    int64             `json:"chat_id"`
	Kind      string            `json:"kind"` // "rating" or "survey"
	CreatedAt string            `json:"created_at"`
	Rating    *Rating           `json:"rating,omitempty"`
	Answers   api.SurveyAnswers `json:"answers,omitempty"`
}

// agentChats adds to each of cs what the console shows beside it.
func (s *API) agentChats(ctx context.Context, cs []*chat.Row) ([]Chat, error) {
	out := []Chat{}
	for _, c := range cs {
		ac, err := s.agentChat(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, ac)
	}
	return out, nil
}

// agentChat adds to c what the console shows beside it.
func (s *API) agentChat(ctx context.Context, c *chat.Row) (Chat, error) {
	ac, err := s.Chat.APIChat(ctx, s.DB, c)
	if err != nil {
		return Chat{}, err
	}
	out := Chat{Chat: ac}
	if out.EndUserName, err = store.EndUserName(ctx, s.DB, c.EndUserID); err != nil {
		return Chat{}, err
	}
	if c.EscalationID != 0 {
		st, err := store.EscalationStatusOf(ctx, s.DB, c.EscalationID)
		if err != nil {
			return Chat{}, err
		}
		out.Deflected = st == chat.EscalationDeflected
	}
	if c.LastIndex > 0 {
		ms, err := s.Chat.Messages(ctx, s.DB, c.ID, c.LastIndex-1, 0, 1)
		if err != nil {
			return Chat{}, err
		}
		if len(ms) == 1 {
			out.LastMessage = &ms[0]
		}
	}
	fb, err := s.feedbackOf(ctx, c.ID)
	if err != nil {
		return Chat{}, err
	}
	for _, f := range fb {
		if f.Rating != nil && out.Rating == nil {
			out.Rating = f.Rating
		}
		if f.Answers != nil && out.Survey == nil {
			out.Survey = f.Answers
		}
	}
	return out, nil
}

// feedbackOf lists ratings and survey answers of the company's chats, of
// chat chatID (0: every chat), newest first.
func (s *API) feedbackOf(ctx context.Context, chatID int64) ([]Feedback, error) {
	fs, err := store.FeedbackOf(ctx, s.DB, s.Company.ID, [2]string{chat.FeedbackRating, chat.FeedbackSurvey}, chatID, recentChats)
	if err != nil {
		return nil, err
	}
	out := []Feedback{}
	for _, sf := range fs {
		f := Feedback{ChatID: sf.ChatID, Kind: sf.Kind, CreatedAt: chat.FmtTime(sf.CreatedAt)}
		var err error
		if f.Kind == chat.FeedbackRating {
			f.Rating = &Rating{}
			err = json.Unmarshal([]byte(sf.Body), f.Rating)
		} else {
			err = json.Unmarshal([]byte(sf.Body), &f.Answers)
		}
		if err != nil {
			return nil, fmt.Errorf("decode feedback of chat %d: %w", f.ChatID, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func (s *API) handleAgentChats(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	var out ChatLists
	ctx := r.Context()
	co := s.Company.ID
	for _, l := range []struct {
		into *[]Chat
		list func() ([]*chat.Row, error)
	}{
		{&out.Queued, func() ([]*chat.Row, error) { return store.QueuedChats(ctx, s.DB, co) }},
		{&out.Escalated, func() ([]*chat.Row, error) { return store.EscalatedChats(ctx, s.DB, co) }},
		{&out.Mine, func() ([]*chat.Row, error) { return store.AssignedChats(ctx, s.DB, co, a.ID) }},
		{&out.Recent, func() ([]*chat.Row, error) { return store.RecentlyEndedChats(ctx, s.DB, co, recentChats) }},
	} {
		cs, err := l.list()
		if err != nil {
			return err
		}
		if *l.into, err = s.agentChats(ctx, cs); err != nil {
			return err
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (s *API) handleAgentChat(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	c, err := s.PathAnyChat(r)
	if err != nil {
		return err
	}
	ac, err := s.agentChat(r.Context(), c)
	if err != nil {
		return err
	}
	out := Transcript{Chat: ac, Messages: []api.Message{}}
	for after := int64(0); ; {
		ms, err := s.Chat.Messages(r.Context(), s.DB, c.ID, after, 0, httpapi.MaxPageSize)
		if err != nil {
			return err
		}
		out.Messages = append(out.Messages, ms...)
		if len(ms) < httpapi.MaxPageSize {
			break
		}
		after = ms[len(ms)-1].Index
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// agentAction runs fn on chat {id} in a write transaction and answers the
// chat afterwards.
func (s *API) agentAction(w http.ResponseWriter, r *http.Request, fn func(t *chat.Txn, c *chat.Row) error) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var c *chat.Row
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		if c, err = s.Chat.LoadChat(t.Ctx, t.Tx, id); err != nil {
			return err
		}
		return fn(t, c)
	})
	if err != nil {
		return err
	}
	return s.WriteChat(w, r, c)
}

// handleAgentAccept takes a queued chat: the agent joins
// (escalationAccepted, memberJoined), exactly as an assignment through the
// REST API.
func (s *API) handleAgentAccept(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	return s.agentAction(w, r, func(t *chat.Txn, c *chat.Row) error {
		if c.Status == api.StatusAssigned && c.AgentID == a.ID {
			return nil
		}
		if c.Status != api.StatusQueued {
			return api.Errorf(api.CodeConflict, "chat %d is %s, not queued", c.ID, c.Status)
		}
		return t.Assign(c, a)
	})
}

// agentMessageRequest is what an agent may send: the REST API's message
// types.
type agentMessageRequest struct {
	Type    string              `json:"type"`
	Content string              `json:"content"`
	Card    *api.ContentCard    `json:"card"`
	Buttons []api.MessageButton `json:"buttons"`
	Form    *api.MessageForm    `json:"form"`
}

// message validates m like the REST API does and builds the message.
func (m agentMessageRequest) message() (api.Message, error) {
	if m.Type == "" {
		m.Type = api.MsgText
	}
	msg := api.Message{Type: m.Type, Content: m.Content}
	switch m.Type {
	case api.MsgText, api.MsgMarkdown:
		return msg, chat.ValidateContent(m.Type, m.Content, nil)
	case api.MsgContentCard:
		if m.Card == nil || strings.TrimSpace(m.Card.Title) == "" {
			return msg, api.Errorf(api.CodeInvalidArgument, "a content_card message needs card.title")
		}
		msg.Card = m.Card
	case api.MsgInlineButton:
		if len(m.Buttons) == 0 {
			return msg, api.Errorf(api.CodeInvalidArgument, "an inline_button message needs buttons")
		}
		for _, b := range m.Buttons {
			if strings.TrimSpace(b.Title) == "" {
				return msg, api.Errorf(api.CodeInvalidArgument, "every button needs a title")
			}
		}
		msg.Buttons = m.Buttons
	case api.MsgForm:
		if m.Form == nil || m.Form.Title == "" {
			return msg, api.Errorf(api.CodeInvalidArgument, "a form message needs form.title")
		}
		msg.Form = m.Form
	default:
		return msg, api.Errorf(api.CodeInvalidArgument, "message type %q cannot be sent here", m.Type)
	}
	if utf8.RuneCountInString(m.Content) > api.MaxTextLength {
		return msg, api.Errorf(api.CodeTooLarge, "content is over %d characters", api.MaxTextLength)
	}
	return msg, nil
}

func (s *API) handleAgentMessage(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	var req agentMessageRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	msg, err := req.message()
	if err != nil {
		return err
	}
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.Chat.LoadChat(t.Ctx, t.Tx, id)
		if err != nil {
			return err
		}
		if err := t.AgentOwns(c, a); err != nil {
			return err
		}
		msg, err = t.AgentMessage(c, a, msg)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, msg)
	return nil
}

// handleAgentFile stores a multipart "file" (with an optional "caption")
// in the media store and posts it as a photo, video or file message.
func (s *API) handleAgentFile(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	c, err := s.PathAnyChat(r)
	if err != nil {
		return err
	}
	if err := httpapi.ParseMultipart(w, r, s.MaxBody(httpapi.BodyFile)); err != nil {
		return err
	}
	defer r.MultipartForm.RemoveAll()
	caption := r.FormValue("caption")
	if utf8.RuneCountInString(caption) > httpapi.MaxCaptionLen {
		return api.Errorf(api.CodeTooLarge, "caption is over %d characters", httpapi.MaxCaptionLen)
	}
	files := r.MultipartForm.File["file"]
	if len(files) != 1 {
		return api.Errorf(api.CodeInvalidArgument, "send exactly one part named \"file\" (got %d)", len(files))
	}
	fh := files[0]
	info, err := s.StoreUpload(fmt.Sprintf("chats/%d/files", c.ID), fh.Filename, fh.Header.Get("Content-Type"), fh.Size,
		func() (io.ReadSeekCloser, error) { return fh.Open() })
	if err != nil {
		return err
	}
	var msg api.Message
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		if c, err = s.Chat.LoadChat(t.Ctx, t.Tx, c.ID); err != nil {
			return err
		}
		if err := t.AgentOwns(c, a); err != nil {
			return err
		}
		m := &chat.Media{Key: info.Key, Kind: httpapi.MediaKind(info.ContentType), ChatID: c.ID,
			Name: info.Name, ContentType: info.ContentType, Size: info.Size, Caption: caption}
		if err := t.InsertMedia(m); err != nil {
			return err
		}
		msg, err = t.AddMessage(c, api.Message{UserType: api.UserAgent, UserID: a.ID, UserName: a.Name, Type: m.Kind,
			Content: caption, MediaID: m.ID, File: m.FileInfo(s.MediaURL(r, m.ID))})
		return err
	})
	if err != nil {
		if derr := s.Media.Delete(info.Key); derr != nil {
			s.Log.Warn("delete unused upload", "key", info.Key, "err", derr)
		}
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, api.FileMessageResponse{MessageID: msg.Index, MediaID: msg.MediaID, Message: msg})
	return nil
}

func (s *API) handleAgentTyping(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	var req api.TypingRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.Chat.LoadChat(t.Ctx, t.Tx, id)
		if err != nil {
			return err
		}
		if c.Status != api.StatusAssigned || c.AgentID != a.ID {
			return api.Errorf(api.CodeConflict, "chat %d is not assigned to you", c.ID)
		}
		return t.Typing(c, s.Chat.AgentIdentity(a.ID), req.Typing)
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

// handleAgentEnd finishes a chat the agent has (chatEnded, member.left).
func (s *API) handleAgentEnd(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	return s.agentAction(w, r, func(t *chat.Txn, c *chat.Row) error {
		if c.Status == api.StatusFinished {
			return nil
		}
		if c.Status == api.StatusAssigned && c.AgentID != a.ID {
			return api.Errorf(api.CodeConflict, "chat %d is with another agent", c.ID)
		}
		return t.Finish(c, a.Name)
	})
}

func (s *API) handleAgentFeedback(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	fb, err := s.feedbackOf(r.Context(), 0)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, fb)
	return nil
}
