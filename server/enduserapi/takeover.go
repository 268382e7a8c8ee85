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
		nu, err := t.UpsertEndUser(claims.Identifier, claims.Name, claims.Email, claims.Phone)
		if err != nil {
			return err
		}
		cur, err := s.Chat.OngoingChat(t.Ctx, t.Tx, u.ID)
		if err != nil {
			return err
		}
		if cur != nil {
			theirs, err := s.Chat.OngoingChat(t.Ctx, t.Tx, nu.ID)
			if err != nil {
				return err
			}
			if theirs != nil {
				return api.Errorf(api.CodeChatAlreadyActive, "%s already has ongoing chat %d", nu.Identifier, theirs.ID)
			}
		}
		if err := t.Tx.MoveEndUser(s.Company.ID, u.ID, nu.ID); err != nil {
			return err
		}
		if cur != nil {
			c, err := s.Chat.LoadChat(t.Ctx, t.Tx, cur.ID)
			if err != nil {
				return err
			}
			name := nu.Name
			if name == "" {
				name = nu.Identifier
			}
			if _, err := t.AddMessage(c, api.Message{UserType: api.UserSystem, Type: api.MsgNoti, Event: api.NotiEndUserStepUp,
				Content: name + " signed in", UserID: nu.ID, UserName: nu.Name}); err != nil {
				return err
			}
			if err := t.ChatEvent(c); err != nil {
				return err
			}
		}
		if err := t.Tx.DeleteSession(chat.HashToken(strings.TrimSpace(old))); err != nil {
			return err
		}
		t.DropSession(chat.HashToken(strings.TrimSpace(old)))
		sess, err = t.NewSession(nu)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, sess)
	return nil
}
