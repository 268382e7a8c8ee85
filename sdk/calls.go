package sdk

import (
	"context"

	"github.com/ccaip/headless-go/api"
)

// CreateCall creates an instant or scheduled call on a menu. A menuID of 0
// takes data.MenuID (the older call form).
func (c *Client) CreateCall(ctx context.Context, menuID int64, data api.CallRequest) (*api.CallResponse, error) {
	if menuID != 0 {
		data.MenuID = menuID
	}
	if data.MenuID <= 0 {
		return nil, invalid("menu id is required")
	}
	if data.PhoneNumber == "" {
		return nil, invalid("phone_number is required")
	}
	if !data.RecordingPermission.Valid() {
		return nil, invalid("recording_permission %q is not a documented value", data.RecordingPermission)
	}
	data.Lang = c.lang(data.Lang)
	var r api.CallResponse
	if err := c.post(ctx, api.RouteCalls, data.MarshalEasyJSON, r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}

// LoadCall returns a call.
func (c *Client) LoadCall(ctx context.Context, callID int64) (*api.CallResponse, error) {
	var r api.CallResponse
	if err := c.get(ctx, route(api.RouteCall, "id", callID), "", r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}

// CancelCall cancels a call and returns it.
func (c *Client) CancelCall(ctx context.Context, callID int64) (*api.CallResponse, error) {
	var r api.CallResponse
	if err := c.post(ctx, route(api.RouteCallCancel, "id", callID), nil, r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}

// GetTimeSlots returns the time slots a call may be scheduled in.
func (c *Client) GetTimeSlots(ctx context.Context, menuID int64, lang string) ([]string, error) {
	if menuID <= 0 {
		return nil, invalid("menu id must be positive")
	}
	var l stringList
	if err := c.get(ctx, route(api.RouteTimeSlots, "menu", menuID), c.query("lang", c.lang(lang)), l.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	if l == nil {
		l = []string{}
	}
	return l, nil
}
