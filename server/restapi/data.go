package restapi

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/store"
)

// restCustomData adds custom data to a chat, unsigned
// {"signed":false,"data":{…}} or signed {"signed":true,"signed_data":"<JWT>"},
// through the same verification as createChat. New fields replace the
// chat's fields of the same key; reserved_* fields set the customer flags.
func (s *API) restCustomData(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		Signed     bool                           `json:"signed"`
		SignedData string                         `json:"signed_data"`
		Data       map[string]api.CustomDataField `json:"data"`
	}
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	cd := &api.CustomData{}
	switch {
	case req.Signed && strings.TrimSpace(req.SignedData) == "":
		return api.Errorf(api.CodeInvalidArgument, "signed custom data needs signed_data")
	case req.Signed:
		cd.Signed = req.SignedData
	case len(req.Data) == 0:
		return api.Errorf(api.CodeInvalidArgument, "data is required")
	default:
		cd.Unsigned = req.Data
	}
	fields, fl, err := s.Chat.VerifyCustomData(cd)
	if err != nil {
		return err
	}
	var out struct {
		CustomData   map[string]api.CustomDataField `json:"custom_data"`
		CustomerFlag customerFlags                  `json:"customer_flag"`
	}
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.Chat.LoadChat(t.Ctx, t.Tx, id)
		if err != nil {
			return err
		}
		merged := map[string]api.CustomDataField{}
		if c.CustomData != "" {
			if err := json.Unmarshal([]byte(c.CustomData), &merged); err != nil {
				return err
			}
		}
		for k, v := range fields {
			merged[k] = v
		}
		b, err := json.Marshal(merged)
		if err != nil {
			return err
		}
		f := customerFlags{c.VerifiedCustomer, c.BadActor, c.RepeatCustomer}
		if fl.VerifiedCustomer != nil {
			f.VerifiedCustomer = *fl.VerifiedCustomer
		}
		if fl.BadActor != nil {
			f.BadActor = *fl.BadActor
		}
		if fl.RepeatCustomer != nil {
			f.RepeatCustomer = *fl.RepeatCustomer
		}
		if err := t.Tx.SetCustomData(c.ID, string(b), f.VerifiedCustomer, f.BadActor, f.RepeatCustomer); err != nil {
			return err
		}
		out.CustomData, out.CustomerFlag = merged, f
		return nil
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// restUpdateEndUser updates the end user of a chat with what the company
// knows about them: identifier (required), name, email, phone. The end
// user keeps their id, sessions and chats; an identifier that already
// belongs to another end user is a conflict.
func (s *API) restUpdateEndUser(w http.ResponseWriter, r *http.Request) error {
	id, err := httpapi.PathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		Identifier string `json:"identifier"`
		Name       string `json:"name"`
		Email      string `json:"email"`
		Phone      string `json:"phone"`
	}
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	req.Identifier = strings.TrimSpace(req.Identifier)
	if req.Identifier == "" || len(req.Identifier) > 255 {
		return api.Errorf(api.CodeInvalidArgument, "identifier is required (at most 255 bytes)")
	}
	if req.Email != "" {
		if req.Email, err = chat.CheckEmail(req.Email); err != nil {
			return err
		}
	}
	if req.Phone != "" {
		if req.Phone, err = chat.NormalizePhone(req.Phone); err != nil {
			return err
		}
	}
	if len(req.Name) > 255 {
		return api.Errorf(api.CodeInvalidArgument, "name is longer than 255 bytes")
	}
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		c, err := s.Chat.LoadChat(t.Ctx, t.Tx, id)
		if err != nil {
			return err
		}
		taken, err := store.IdentifierTaken(t.Ctx, t.Tx, s.Company.ID, req.Identifier, c.EndUserID)
		if err != nil {
			return err
		}
		if taken {
			return api.Errorf(api.CodeConflict, "identifier %q belongs to another end user", req.Identifier)
		}
		if err := t.Tx.UpdateEndUser(c.EndUserID, req.Identifier, req.Name, req.Email, req.Phone); err != nil {
			return err
		}
		t.DropUserSessions(c.EndUserID)
		return nil
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]string{"message": "accepted"})
	return nil
}
