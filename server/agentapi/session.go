package agentapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/store"
)

// agent adapts an agent console route: a valid agent session first. Every
// authenticated request keeps an online agent online.
func (s *API) agent(h func(w http.ResponseWriter, r *http.Request, a *api.Agent) error) httpapi.Guarded {
	return func(rt httpapi.Route) http.HandlerFunc {
		httpapi.MustRate(rt, httpapi.RateNone)
		return s.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("WWW-Authenticate", `Bearer realm="agent"`)
			a, err := s.agentFromRequest(r)
			if err != nil {
				return err
			}
			w.Header().Del("WWW-Authenticate")
			s.Chat.SeenAgent(a.ID)
			return h(w, r, a)
		})
	}
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func (s *API) agentFromRequest(r *http.Request) (*api.Agent, error) {
	tok := bearer(r)
	if tok == "" {
		return nil, api.Errorf(api.CodeUnauthorized, "missing agent session (Authorization: Bearer <token>)")
	}
	id, exp, err := store.AgentSession(r.Context(), s.DB, s.Company.ID, chat.HashToken(tok))
	if errors.Is(err, store.ErrNoRows) {
		return nil, api.Errorf(api.CodeUnauthorized, "unknown agent session")
	}
	if err != nil {
		return nil, err
	}
	if s.Now().UnixMilli() >= exp {
		return nil, api.Errorf(api.CodeSessionExpired, "the agent session expired; sign in again")
	}
	a := s.Company.Agent(id)
	if a == nil {
		return nil, api.Errorf(api.CodeUnauthorized, "agent %d no longer exists", id)
	}
	return a, nil
}

// handleAgentSignIn opens an agent session. The caller proves it speaks
// for the company with the REST API's Basic credentials (subdomain : API
// token) and names the agent; sign-ins share the REST API's rate limit so
// credentials cannot be guessed quickly.
func (s *API) handleAgentSignIn(w http.ResponseWriter, r *http.Request) error {
	if err := s.CheckBasic(w, r); err != nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="agent"`)
		return err
	}
	var req struct {
		AgentID int64 `json:"agent_id"`
	}
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	a := s.Company.Agent(req.AgentID)
	if a == nil {
		return api.Errorf(api.CodeInvalidArgument, "agent %d does not exist", req.AgentID)
	}
	tok := chat.RandomToken(32)
	exp := s.Now().Add(agentSessionTTL)
	err := s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		return t.Tx.InsertAgentSession(chat.HashToken(tok), s.Company.ID, a.ID, exp.UnixMilli(), s.Now().UnixMilli())
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, Session{Token: tok, ExpiresAt: exp.UTC().Format(chat.TimeFormat), Agent: *a})
	return nil
}

// handleAgentSignOut ends the session and takes the agent offline.
func (s *API) handleAgentSignOut(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	err := s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		return t.Tx.DeleteAgentSession(chat.HashToken(bearer(r)))
	})
	if err != nil {
		return err
	}
	s.Chat.SetPresence(a.ID, false)
	httpapi.WriteJSON(w, http.StatusOK, struct{}{})
	return nil
}

func (s *API) handleAgentMe(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	httpapi.WriteJSON(w, http.StatusOK, Me{Agent: *a, Presence: s.Chat.PresenceOf(a.ID)})
	return nil
}

func (s *API) handleAgentPresence(w http.ResponseWriter, r *http.Request, a *api.Agent) error {
	var req struct {
		Status string `json:"status"`
	}
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	switch req.Status {
	case "online", "offline":
	default:
		return api.Errorf(api.CodeInvalidArgument, "status must be online or offline")
	}
	s.Chat.SetPresence(a.ID, req.Status == "online")
	httpapi.WriteJSON(w, http.StatusOK, Me{Agent: *a, Presence: s.Chat.PresenceOf(a.ID)})
	return nil
}
