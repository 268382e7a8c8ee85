package agentapi

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

// Calls in the agent console: list the company's calls, schedule a call
// back to a chat's end user, cancel a call. They use the same storage and
// simulated lifecycle as the end-user API's calls (chat.CreateCall).

// handleAgentCalls lists the newest calls as the REST API shows them.
func (s *API) handleAgentCalls(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	out, err := s.Chat.RESTCalls(r.Context(), recentChats)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// handleAgentScheduleCall schedules a call back to the end user of chat
// {id} on the chat's menu, at any future time the agent agrees with them.
func (s *API) handleAgentScheduleCall(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		PhoneNumber string `json:"phone_number"`
		ScheduledAt string `json:"scheduled_at"`
	}
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	call, err := s.Chat.ScheduleCallBack(r.Context(), id, req.PhoneNumber, req.ScheduledAt)
	if err != nil {
		return err
	}
	return s.writeCall(w, call)
}

func (s *API) handleAgentCancelCall(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var call *chat.Call
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		if call, err = s.Chat.LoadCall(t.Ctx, t.Tx, id); err != nil {
			return err
		}
		return t.CancelCall(call)
	})
	if err != nil {
		return err
	}
	return s.writeCall(w, call)
}

// writeCall answers c as the REST API shows it.
func (s *API) writeCall(w http.ResponseWriter, c *chat.Call) error {
	rc, err := s.Chat.RESTCall(c)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, rc)
	return nil
}
