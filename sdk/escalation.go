package sdk

import (
	"context"

	"github.com/ccaip/headless-go/api"
)

// EscalateChat asks for a human agent on the current chat. The chat's
// escalation_id is updated; data may be nil.
func (c *Client) EscalateChat(ctx context.Context, data *api.EscalateRequest) (*api.Escalation, error) {
	id, err := c.currentID()
	if err != nil {
		return nil, err
	}
	if data == nil {
		data = &api.EscalateRequest{}
	}
	var r api.Escalation
	if err := c.post(ctx, route(api.RouteEscalations, "id", id), data.MarshalEasyJSON, r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.chat != nil && c.chat.ID == id && r.ID != 0 && c.chat.EscalationID != r.ID {
		next := *c.chat
		next.EscalationID = r.ID
		c.applyChatLocked(&next)
	}
	c.mu.Unlock()
	return &r, nil
}

// TrackChatEscalation records which channel the end user picked for an
// escalation (e.g. a deflection to email).
func (c *Client) TrackChatEscalation(ctx context.Context, escalationID int64, channel string) error {
	if escalationID <= 0 || channel == "" {
		return invalid("escalation id and channel are required")
	}
	id, err := c.currentID()
	if err != nil {
		return err
	}
	return c.post(ctx, route(api.RouteEscalationTrack, "id", id, "eid", escalationID), (&api.TrackEscalationRequest{Channel: channel}).MarshalEasyJSON, nil)
}

// TrackChatEndUserEvent records an end-user event on the current chat.
func (c *Client) TrackChatEndUserEvent(ctx context.Context, data api.ChatEndUserEventRequest) error {
	id, err := c.currentID()
	if err != nil {
		return err
	}
	return c.post(ctx, route(api.RouteEndUserEvents, "id", id), data.MarshalEasyJSON, nil)
}

// GetChatDeflection returns the current chat's deflection configuration,
// always an object as documented: a platform that answers null (older
// ones did outside the queue) reads as deflection disabled.
func (c *Client) GetChatDeflection(ctx context.Context) (*api.ChatDeflectionResponse, error) {
	id, err := c.currentID()
	if err != nil {
		return nil, err
	}
	var r *api.ChatDeflectionResponse
	if err := c.get(ctx, route(api.RouteDeflection, "id", id), "", nullableOf(&r, (*api.ChatDeflectionResponse).UnmarshalEasyJSON)); err != nil {
		return nil, err
	}
	if r == nil {
		r = &api.ChatDeflectionResponse{}
	}
	if r.ExternalDeflectionLinks.IDs == nil {
		r.ExternalDeflectionLinks.IDs = []int64{}
	}
	return r, nil
}

// UpdatePostSession moves the current chat's post-session transfer along
// (ready, in_progress, waiting, finished).
func (c *Client) UpdatePostSession(ctx context.Context, status api.PostSessionStatus) error {
	switch status {
	case api.PostSessionReady, api.PostSessionInProgress, api.PostSessionWaiting, api.PostSessionFinished:
	default:
		return invalid("post-session status %q is not one of ready, in_progress, waiting, finished", status)
	}
	id, err := c.currentID()
	if err != nil {
		return err
	}
	var chat api.Chat
	if err := c.post(ctx, route(api.RoutePostSession, "id", id), (&api.PostSessionRequest{Status: status}).MarshalEasyJSON, chat.UnmarshalEasyJSON); err != nil {
		return err
	}
	if chat.ID != 0 {
		c.applyChat(&chat)
	}
	return nil
}

// GetChatHistory returns a page (1 based; 0 means 1) of the end user's
// past chats.
func (c *Client) GetChatHistory(ctx context.Context, page int) (*api.ChatHistoryResponse, error) {
	if page < 0 {
		return nil, invalid("page must not be negative")
	}
	q := ""
	if page > 0 {
		q = c.query("page", itoa(int64(page)))
	}
	var r api.ChatHistoryResponse
	if err := c.get(ctx, api.RouteChatHistory, q, r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	for i := range r.Chats {
		vendorFieldsAll(r.Chats[i].Entries)
	}
	return &r, nil
}
