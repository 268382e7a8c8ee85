package enduserapi

import (
	"context"
	"net/http"

	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
)

// querier is a read of the store: its pool or a write transaction.
type querier = chat.Querier

// chatRow is a chat as stored.
type chatRow = chat.Row

// pathChat loads the chat the path's {id} names, if it is u's (ownChat).
func (s *API) pathChat(r *http.Request, u *endUser) (*chatRow, error) {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.ownChat(r.Context(), s.DB, u, id)
}

// ownChat loads a chat of end user u; another user's chat answers exactly
// like a missing one (chat.Domain.OwnChat).
func (s *API) ownChat(ctx context.Context, q querier, u *endUser, id int64) (*chatRow, error) {
	return s.Chat.OwnChat(ctx, q, u.ID, id)
}
