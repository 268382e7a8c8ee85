package chat

import (
	"encoding/json"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/jwtauth"
	"github.com/ccaip/headless-go/server/store"
)

// What the company's backend tells the platform about a chat's customer:
// their flags, custom data and profile (the REST API's customer_flag,
// custom_data and end-user routes).

// Flags are a chat's customer flags.
type Flags struct {
	VerifiedCustomer, BadActor, RepeatCustomer bool
}

// flags is c's flags with the ones set names changed.
func flags(c *Row, set jwtauth.Flags) Flags {
	f := Flags{c.VerifiedCustomer, c.BadActor, c.RepeatCustomer}
	if set.VerifiedCustomer != nil {
		f.VerifiedCustomer = *set.VerifiedCustomer
	}
	if set.BadActor != nil {
		f.BadActor = *set.BadActor
	}
	if set.RepeatCustomer != nil {
		f.RepeatCustomer = *set.RepeatCustomer
	}
	return f
}

// SetFlags sets the flags set names on c and leaves the others.
func (t *Txn) SetFlags(c *Row, set jwtauth.Flags) (Flags, error) {
	f := flags(c, set)
	return f, t.Tx.SetFlags(c.ID, f.VerifiedCustomer, f.BadActor, f.RepeatCustomer)
}

// AddCustomData adds verified custom data fields (VerifyCustomData) to c:
// new fields replace c's fields of the same key, and the reserved_* ones
// set the flags fl names. It returns c's fields and flags.
func (t *Txn) AddCustomData(c *Row, fields map[string]api.CustomDataField, fl jwtauth.Flags) (map[string]api.CustomDataField, Flags, error) {
	merged := map[string]api.CustomDataField{}
	if c.CustomData != "" {
		if err := json.Unmarshal([]byte(c.CustomData), &merged); err != nil {
			return nil, Flags{}, err
		}
	}
	for k, v := range fields {
		merged[k] = v
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return nil, Flags{}, err
	}
	f := flags(c, fl)
	if err := t.Tx.SetCustomData(c.ID, string(b), f.VerifiedCustomer, f.BadActor, f.RepeatCustomer); err != nil {
		return nil, Flags{}, err
	}
	return merged, f, nil
}

// UpdateEndUser updates the end user of chat chatID with what the company knows
// about them: identifier (required), name, email, phone. The end user
// keeps their id, sessions and chats; an identifier that already belongs
// to another end user is a conflict.
func (t *Txn) UpdateEndUser(chatID int64, identifier, name, email, phone string) error {
	identifier = strings.TrimSpace(identifier)
	if identifier == "" || len(identifier) > MaxIdentifierLength {
		return api.Errorf(api.CodeInvalidArgument, "identifier is required (at most %d bytes)", MaxIdentifierLength)
	}
	var err error
	if email != "" {
		if email, err = CheckEmail(email); err != nil {
			return err
		}
	}
	if phone != "" {
		if phone, err = NormalizePhone(phone); err != nil {
			return err
		}
	}
	if len(name) > 255 {
		return api.Errorf(api.CodeInvalidArgument, "name is longer than 255 bytes")
	}
	c, err := t.s.LoadChat(t.Ctx, t.Tx, chatID)
	if err != nil {
		return err
	}
	taken, err := store.IdentifierTaken(t.Ctx, t.Tx, t.s.company.ID, identifier, c.EndUserID)
	if err != nil {
		return err
	}
	if taken {
		return api.Errorf(api.CodeConflict, "identifier %q belongs to another end user", identifier)
	}
	if err := t.Tx.UpdateEndUser(c.EndUserID, identifier, name, email, phone); err != nil {
		return err
	}
	t.DropUserSessions(c.EndUserID)
	return nil
}
