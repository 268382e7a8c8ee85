package restapi

import (
	"errors"
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/jwtauth"
	"github.com/ccaip/headless-go/server/store"
)

type restCreateChatRequest struct {
	Chat struct {
		MenuID    int64           `json:"menu_id"`
		EndUserID int64           `json:"end_user_id"`
		Lang      string          `json:"lang"`
		Email     string          `json:"email"`
		Context   api.Raw         `json:"context"`
		Unsigned  *api.CustomData `json:"custom_data"`
	} `json:"chat"`
	EndUser struct {
		Identifier string `json:"identifier"`
		Name       string `json:"name"`
		Email      string `json:"email"`
		Phone      string `json:"phone"`
	} `json:"end_user"`
}

func (s *API) restCreateChat(w http.ResponseWriter, r *http.Request) error {
	var req restCreateChatRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.Chat.MenuID <= 0 {
		return api.Errorf(api.CodeInvalidArgument, "chat.menu_id is required")
	}
	cd := req.Chat.Unsigned
	if !req.Chat.Context.IsZero() {
		if cd == nil {
			cd = &api.CustomData{}
		}
		if cd.Unsigned == nil {
			cd.Unsigned = map[string]api.CustomDataField{}
		}
		cd.Unsigned["context"] = api.CustomDataField{Label: "context", Value: req.Chat.Context}
	}
	var c *chat.Row
	err := s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		uid := req.Chat.EndUserID
		if uid != 0 {
			found, err := store.EndUserExists(t.Ctx, t.Tx, s.Company.ID, uid)
			if err != nil {
				return err
			}
			if !found {
				return api.Errorf(api.CodeNotFound, "end user %d not found", uid)
			}
		} else {
			ident := req.EndUser.Identifier
			if ident == "" {
				ident = "rest-" + chat.RandomToken(9)
			}
			if err := chat.CheckIdentifier(ident); err != nil {
				return api.Errorf(api.CodeInvalidArgument, "end_user.%s", err.Message)
			}
			u, err := t.UpsertEndUser(ident, req.EndUser.Name, req.EndUser.Email, req.EndUser.Phone)
			if err != nil {
				return err
			}
			uid = u.ID
		}
		var err error
		c, err = t.CreateChat(chat.NewChat{EndUserID: uid, MenuID: req.Chat.MenuID, Lang: req.Chat.Lang, Email: req.Chat.Email, CustomData: cd})
		return err
	})
	if err != nil {
		return err
	}
	return s.WriteChat(w, r, c)
}

func (s *API) restGetChat(w http.ResponseWriter, r *http.Request) error {
	c, err := s.PathAnyChat(r)
	if err != nil {
		return err
	}
	return s.WriteChat(w, r, c)
}

type restPatchRequest struct {
	FinishedByUserID int64 `json:"finished_by_user_id"`
	Chat             struct {
		DeflectionChannel string `json:"deflection_channel"`
		Status            string `json:"status"`
		EscalationID      int64  `json:"escalation_id"`
		// AgentID assigns the chat to a human agent (status "assigned").
		AgentID int64 `json:"agent_id"`
	} `json:"chat"`
}

func (s *API) restPatchChat(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req restPatchRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	var c *chat.Row
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		if c, err = s.Chat.LoadChat(t.Ctx, t.Tx, id); err != nil {
			return err
		}
		if req.Chat.EscalationID != 0 && req.Chat.EscalationID != c.EscalationID {
			return api.Errorf(api.CodeInvalidArgument, "escalation %d is not chat %d's", req.Chat.EscalationID, c.ID)
		}
		if req.Chat.DeflectionChannel != "" {
			c.DeflectionChannel = req.Chat.DeflectionChannel
		}
		switch req.Chat.Status {
		case "":
			return t.Save(c)
		case api.StatusFinished:
			by := "an agent"
			if a := s.Company.Agent(req.FinishedByUserID); a != nil {
				by = a.Name
			}
			return t.Finish(c, by)
		case api.StatusAssigned:
			a, err := s.Chat.PickAgent(c, req.Chat.AgentID)
			if err != nil {
				return err
			}
			return t.Assign(c, a)
		case api.StatusQueued:
			return t.Requeue(c)
		case api.StatusDeflected:
			return t.Deflect(c)
		default:
			return api.Errorf(api.CodeInvalidArgument, "status %q cannot be set through the API", req.Chat.Status)
		}
	})
	if err != nil {
		return err
	}
	return s.WriteChat(w, r, c)
}

type restMessageRequest struct {
	FromUserID int64 `json:"from_user_id"`
	Message    struct {
		Type       string              `json:"type"`
		Content    string              `json:"content"`
		Card       *api.ContentCard    `json:"card"`
		Buttons    []api.MessageButton `json:"buttons"`
		Form       *api.MessageForm    `json:"form"`
		Structured api.Raw             `json:"structured"`
		Metadata   api.Raw             `json:"metadata"`
		// ClientID (or the Idempotency-Key header) makes the send
		// idempotent, as on the end-user API.
		ClientID string `json:"client_id"`
	} `json:"message"`
}

// restSendMessage posts an agent's message. The first message of an agent
// assigns the chat to them.
func (s *API) restSendMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req restMessageRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	m := req.Message
	if m.Type == "" {
		m.Type = api.MsgText
	}
	if m.ClientID == "" {
		m.ClientID = r.Header.Get(api.HeaderIdempotencyKey)
	}
	if len(m.ClientID) > chat.MaxClientIDLen {
		return api.Errorf(api.CodeInvalidArgument, "client_id is longer than %d bytes", chat.MaxClientIDLen)
	}
	msg := api.Message{Type: m.Type, Content: m.Content, Metadata: m.Metadata, Structured: m.Structured, ClientID: m.ClientID}
	switch m.Type {
	case api.MsgText, api.MsgMarkdown, api.MsgStructured:
		if err := chat.ValidateContent(m.Type, m.Content, m.Structured); err != nil {
			return err
		}
	case api.MsgContentCard:
		if m.Card == nil || m.Card.Title == "" {
			return api.Errorf(api.CodeInvalidArgument, "a content_card message needs card.title")
		}
		msg.Card = m.Card
	case api.MsgInlineButton:
		if len(m.Buttons) == 0 {
			return api.Errorf(api.CodeInvalidArgument, "an inline_button message needs buttons")
		}
		msg.Buttons = m.Buttons
	case api.MsgForm:
		if m.Form == nil {
			return api.Errorf(api.CodeInvalidArgument, "a form message needs form")
		}
		msg.Form = m.Form
	default:
		return api.Errorf(api.CodeInvalidArgument, "message type %q cannot be sent here", m.Type)
	}
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.Chat.LoadChat(t.Ctx, t.Tx, id)
		if err != nil {
			return err
		}
		// A resend of a stored message (its answer was lost, or the
		// platform restarted before it went out) stores nothing.
		if prev, err := t.PriorSend(c, m.ClientID); err != nil || prev != nil {
			return err
		}
		a, err := s.Chat.PickAgent(c, req.FromUserID)
		if err != nil {
			return err
		}
		if err := t.Assign(c, a); err != nil {
			return err
		}
		_, err = t.AgentMessage(c, a, msg)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

func (s *API) restEscalate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req api.EscalateRequest
	if err := httpapi.ReadJSON(w, r, &req, true); err != nil {
		return err
	}
	var esc api.Escalation
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.Chat.LoadChat(t.Ctx, t.Tx, id)
		if err != nil {
			return err
		}
		esc, err = t.Escalate(c, req.Reason, req.ForceEscalate)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, esc)
	return nil
}

func (s *API) restPatchEscalation(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	eid, err := httpapi.PathID(r, "eid")
	if err != nil {
		return err
	}
	var req struct {
		DeflectionChannel string `json:"deflection_channel"`
	}
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.DeflectionChannel == "" {
		return api.Errorf(api.CodeInvalidArgument, "deflection_channel is required")
	}
	var esc api.Escalation
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.Chat.LoadChat(t.Ctx, t.Tx, id)
		if err != nil {
			return err
		}
		esc, err = t.SetDeflectionChannel(c, eid, req.DeflectionChannel)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, esc)
	return nil
}

// customerFlags is the customer_flag object.
type customerFlags struct {
	VerifiedCustomer bool `json:"verified_customer"`
	BadActor         bool `json:"bad_actor"`
	RepeatCustomer   bool `json:"repeat_customer"`
}

func (s *API) restGetFlags(w http.ResponseWriter, r *http.Request) error {
	c, err := s.PathAnyChat(r)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, customerFlags{c.VerifiedCustomer, c.BadActor, c.RepeatCustomer})
	return nil
}

// restSetFlags sets the flags the body names and leaves the others. The
// documented body spells one of them "repeat_customers"; both spellings
// are accepted.
func (s *API) restSetFlags(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		VerifiedCustomer *bool `json:"verified_customer"`
		BadActor         *bool `json:"bad_actor"`
		RepeatCustomer   *bool `json:"repeat_customer"`
		RepeatCustomers  *bool `json:"repeat_customers"`
	}
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.RepeatCustomer == nil {
		req.RepeatCustomer = req.RepeatCustomers
	}
	var f customerFlags
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.Chat.LoadChat(t.Ctx, t.Tx, id)
		if err != nil {
			return err
		}
		cf, err := t.SetFlags(c, jwtauth.Flags{VerifiedCustomer: req.VerifiedCustomer, BadActor: req.BadActor, RepeatCustomer: req.RepeatCustomer})
		f = customerFlags(cf)
		return err
	})
	if errors.Is(err, store.ErrNoRows) {
		err = api.Errorf(api.CodeNotFound, "chat %d not found", id)
	}
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, f)
	return nil
}
