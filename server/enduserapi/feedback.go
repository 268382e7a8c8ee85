package enduserapi

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/store"
)

// historyPageSize is how many past chats a page of the chat history holds.
const historyPageSize = 10

// ownChatRequest decodes the body of a route on the caller's own chat and
// runs fn in a write transaction; it answers resp() afterwards.
func (s *API) ownChatRequest(w http.ResponseWriter, r *http.Request, u *endUser, body any, optional bool,
	fn func(t *chat.Txn, c *chatRow) error) (*chatRow, error) {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	if body != nil {
		if err := httpapi.ReadJSON(w, r, body, optional); err != nil {
			return nil, err
		}
	}
	var c *chatRow
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		if c, err = s.ownChat(t.Ctx, t.Tx, u, id); err != nil {
			return err
		}
		return fn(t, c)
	})
	return c, err
}

func (s *API) handleTyping(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.TypingRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *chat.Txn, c *chatRow) error {
		return t.Typing(c, &api.Identity{ID: u.ID, Name: u.Name, UserType: api.UserEndUser}, req.Typing)
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

// handlePreview takes the text the end user is typing. Only agents see
// previews, so nothing reaches the end user's realtime channel.
func (s *API) handlePreview(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.PreviewRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *chat.Txn, c *chatRow) error {
		return s.Chat.Preview(c, req.Content)
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

// handleDeflection answers the chat's deflection configuration, always an
// object (000 documents getChatDeflection as returning a
// ChatDeflectionResponse): the company's options, with enabled false when
// the company or the chat's menu turns deflection off. Apps read it before
// they escalate, not only while the chat is queued.
func (s *API) handleDeflection(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, s.Chat.Deflection(c))
	return nil
}

func (s *API) handleGetSurvey(w http.ResponseWriter, r *http.Request, u *endUser) error {
	c, err := s.pathChat(r, u)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, s.Chat.Survey(c))
	return nil
}

func (s *API) handleSendSurvey(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.SurveyRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *chat.Txn, c *chatRow) error {
		return t.AnswerSurvey(c, req.Answers)
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

func (s *API) handleRate(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.RateRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *chat.Txn, c *chatRow) error {
		return t.Rate(c, req)
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

func (s *API) handlePostSession(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.PostSessionRequest
	c, err := s.ownChatRequest(w, r, u, &req, false, func(t *chat.Txn, c *chatRow) error {
		return t.SetPostSession(c, req.Status)
	})
	if err != nil {
		return err
	}
	return s.WriteChat(w, r, c)
}

func (s *API) handleTrackEscalation(w http.ResponseWriter, r *http.Request, u *endUser) error {
	eid, err := httpapi.PathID(r, "eid")
	if err != nil {
		return err
	}
	var req api.TrackEscalationRequest
	_, err = s.ownChatRequest(w, r, u, &req, false, func(t *chat.Txn, c *chatRow) error {
		return t.TrackEscalation(c, eid, req.Channel)
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

func (s *API) handleEndUserEvent(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.ChatEndUserEventRequest
	_, err := s.ownChatRequest(w, r, u, &req, false, func(t *chat.Txn, c *chatRow) error {
		return t.EndUserEvent(c, req)
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

// handleChatHistory pages the end user's past chats, newest first, with
// their messages.
func (s *API) handleChatHistory(w http.ResponseWriter, r *http.Request, u *endUser) error {
	page, err := httpapi.QueryInt(r, "page", 1)
	if err != nil {
		return err
	}
	if page < 1 {
		page = 1
	}
	chats, err := store.EndedChats(r.Context(), s.DB, u.ID, historyPageSize+1, int(page-1)*historyPageSize)
	if err != nil {
		return err
	}
	resp := api.ChatHistoryResponse{Chats: []api.ChatHistoryItem{}, MissingChatIDs: []int64{}, Pagination: api.Pagination{PerPage: historyPageSize}}
	if len(chats) > historyPageSize {
		chats = chats[:historyPageSize]
		resp.Pagination.NextPage = int(page) + 1
	}
	for _, c := range chats {
		ms, err := s.Chat.Messages(r.Context(), s.DB, c.ID, 0, 0, httpapi.MaxPageSize)
		if err != nil {
			return err
		}
		resp.Chats = append(resp.Chats, api.ChatHistoryItem{CommID: c.ID, AssignedAt: chat.FmtTime(c.CreatedAt), CommType: "chat", Timezone: "UTC", Entries: ms})
	}
	httpapi.WriteJSON(w, http.StatusOK, resp)
	return nil
}
