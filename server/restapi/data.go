package restapi

import (
	"net/http"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
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
		merged, f, err := t.AddCustomData(c, fields, fl)
		if err != nil {
			return err
		}
		out.CustomData, out.CustomerFlag = merged, customerFlags(f)
		return nil
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// restUpdateEndUser updates the end user of a chat with what the company
// knows about them (chat.Txn.UpdateEndUser).
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
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		return t.UpdateEndUser(id, req.Identifier, req.Name, req.Email, req.Phone)
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]string{"message": "accepted"})
	return nil
}
