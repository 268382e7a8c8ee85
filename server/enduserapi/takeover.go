package enduserapi

import (
	"net/http"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

// handleTakeover steps the caller up to the identity of a new end-user JWT
// (consumerTakeover): the new identity takes over the caller's chats, the
// ongoing one with its history included, the ongoing chat gets an
// endUserStepUp noti, the caller's session is revoked, and a session of
// the new identity is returned.
func (s *API) handleTakeover(w http.ResponseWriter, r *http.Request, u *endUser) error {
	var req api.TakeoverRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if strings.TrimSpace(req.Token) == "" {
		return api.Errorf(api.CodeBadRequest, "token is required")
	}
	claims, err := s.verifyEndUserJWT(req.Token)
	if err != nil {
		return err
	}
	if claims.Identifier == u.Identifier {
		return api.Errorf(api.CodeInvalidArgument, "the token names the current end user; nothing to take over")
	}
	_, old, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	var sess api.Session
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		var err error
		sess, err = t.StepUp(u, claims.Identifier, claims.Name, claims.Email, claims.Phone, strings.TrimSpace(old))
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, sess)
	return nil
}
