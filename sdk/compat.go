package sdk

import "github.com/ccaip/headless-go/api"

// vendorFields adds to a message what apps written for the vendor SDK
// read beyond the documents (their public sample apps render
// message.identity.display_name and is_customer, and a content card from
// message.cards[] with images[0]): the author as Identity, and Card again
// as Cards. It is additive; the documented fields stay as they are.
func vendorFields(m *api.Message) {
	if m.Identity == nil {
		m.Identity = &api.MessageIdentity{DisplayName: m.UserName, IsCustomer: m.UserType == api.UserEndUser}
	}
	if m.Card != nil && len(m.Cards) == 0 {
		item := api.CardItem{Title: m.Card.Title, Subtitle: m.Card.Subtitle, Body: m.Card.Body, Link: m.Card.Link, Buttons: m.Card.Buttons}
		if m.Card.ImageURL != "" {
			item.Images = []string{m.Card.ImageURL}
		}
		m.Cards = []api.CardItem{item}
	}
}

// vendorFieldsAll applies vendorFields to each of ms.
func vendorFieldsAll(ms []api.Message) {
	for i := range ms {
		vendorFields(&ms[i])
	}
}
