package chat

import (
	"context"
	"strings"
	"unicode"

	"github.com/ccaip/headless-go/api"
)

// The scripted virtual agent greets, answers a few keywords, shows a
// content card, inline buttons and a form, and escalates to a human when
// asked. It exists so that every chat feature can be exercised end to end
// without a real bot.

func greeting(lang, name string) string {
	if lang == "it" {
		return "Ciao! Sono " + name + ". Chiedimi degli orari, oppure scrivi card, buttons o form. Scrivi agent per parlare con una persona."
	}
	return "Hi! I'm " + name + ". Ask me about our hours, or type card, buttons or form. Type agent to talk to a person."
}

func vaText(va *api.VirtualAgent, text string) api.Message {
	return api.Message{UserType: api.UserVirtualAgent, UserID: va.ID, UserName: va.Name, Type: api.MsgText, Content: text}
}

// VAReply answers an end-user message after Config.VADelay, unless the
// chat has left the virtual agent meanwhile.
func (s *Domain) VAReply(chatID int64, in api.Message) {
	s.Go(func(ctx context.Context) {
		if !Sleep(ctx, s.cfg.VADelay) {
			return
		}
		if ctx.Err() != nil {
			return
		}
		err := s.Write(ctx, func(t *Txn) error {
			c, err := s.LoadChat(t.Ctx, t.Tx, chatID)
			if err != nil {
				return err
			}
			menu := s.company.FindMenu(c.MenuID)
			if c.Status != api.StatusVAAssigned || menu == nil || menu.VirtualAgent == nil {
				return nil
			}
			t.Emit(api.Event{Type: api.EventTypingStart, ChatID: c.ID, Identity: vaIdentity(menu.VirtualAgent)})
			t.Emit(api.Event{Type: api.EventTypingEnd, ChatID: c.ID, Identity: vaIdentity(menu.VirtualAgent)})
			return t.vaAnswer(c, menu.VirtualAgent, in)
		})
		if err != nil && ctx.Err() == nil {
			s.log.Error("virtual agent reply", "chat", chatID, "err", err)
		}
	})
}

// vaAnswer picks the virtual agent's answer to one end-user message.
func (t *Txn) vaAnswer(c *Row, va *api.VirtualAgent, in api.Message) error {
	words := strings.FieldsFunc(strings.ToLower(in.Content), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	// has matches keywords as word prefixes: "hours" matches "hour".
	has := func(keys ...string) bool {
		for _, w := range words {
			for _, k := range keys {
				if strings.HasPrefix(w, k) {
					return true
				}
			}
		}
		return false
	}
	say := func(m api.Message) error {
		m.UserType, m.UserID, m.UserName = api.UserVirtualAgent, va.ID, va.Name
		_, err := t.AddMessage(c, m)
		return err
	}
	switch {
	case has("agent", "human", "person", "operatore"):
		if err := say(api.Message{Type: api.MsgText, Content: "Sure, let me connect you to an agent."}); err != nil {
			return err
		}
		_, err := t.Escalate(c, "by_end_user_ask", false)
		return err
	case has("hour", "open", "orari"):
		return say(api.Message{Type: api.MsgText, Content: "We are open every day, around the clock."})
	case has("card"):
		return say(api.Message{Type: api.MsgContentCard, Card: &api.ContentCard{
			Title: "Demo plan", Subtitle: "Everything you need", Body: "Chat, calls and email in one place.",
			Link:    "https://demo.example/plans",
			Buttons: []api.MessageButton{{Title: "See plans", URL: "https://demo.example/plans"}, {Title: "Talk to an agent", Payload: "agent"}},
		}})
	case has("button", "option"):
		return say(api.Message{Type: api.MsgInlineButton, Content: "What can I help you with?", Buttons: []api.MessageButton{
			{Title: "Opening hours", Payload: "hours"}, {Title: "Show a card", Payload: "card"}, {Title: "Talk to an agent", Payload: "agent"},
		}})
	case has("form"):
		if err := say(api.Message{Type: api.MsgForm, Content: "Please fill in this form.", Form: &api.MessageForm{
			ID: 1, FormType: "web_form", Name: "contact", Title: "Contact details", Subtitle: "So we can get back to you",
			ExternalFormID: "contact-form",
		}}); err != nil {
			return err
		}
		return t.Noti(c, api.NotiFormRequested, "A form was requested")
	case has("hello", "hey", "ciao") || (len(words) > 0 && words[0] == "hi"):
		return say(api.Message{Type: api.MsgText, Content: "Hello! How can I help you today?"})
	default:
		return say(api.Message{Type: api.MsgText, Content: "I did not get that. Try hours, card, buttons or form, or type agent to talk to a person."})
	}
}
