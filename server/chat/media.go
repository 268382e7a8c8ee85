package chat

import (
	"context"
	"errors"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/store"
)

// Media is a stored file (store.Media).
type Media = store.Media

// InsertMedia records a stored file of the company and sets m.ID; a key
// already recorded is a conflict.
func (t *Txn) InsertMedia(m *Media) error {
	err := t.Tx.InsertMedia(t.s.company.ID, m, t.s.now().UnixMilli())
	if errors.Is(err, store.ErrDuplicate) {
		return api.Errorf(api.CodeConflict, "file %s is already attached", m.Key)
	}
	return err
}

// LoadMedia reads media id of this company; a missing one is not_found.
func (s *Domain) LoadMedia(ctx context.Context, q Querier, id int64) (*Media, error) {
	m, err := store.LoadMedia(ctx, q, s.company.ID, id)
	if errors.Is(err, store.ErrNoRows) {
		return nil, api.Errorf(api.CodeNotFound, "media %d not found", id)
	}
	return m, err
}

// ChatMedia lists a chat's files of one kind, oldest first.
func (s *Domain) ChatMedia(ctx context.Context, q Querier, chatID int64, kind string) ([]*Media, error) {
	return store.ChatMedia(ctx, q, s.company.ID, chatID, kind)
}
