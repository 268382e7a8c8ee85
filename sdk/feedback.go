package sdk

import (
	"context"

	"github.com/ccaip/headless-go/api"
)

// GetChatSurvey returns the current chat's survey questions.
func (c *Client) GetChatSurvey(ctx context.Context) (*api.ChatSurveyResponse, error) {
	id, err := c.currentID()
	if err != nil {
		return nil, err
	}
	var r api.ChatSurveyResponse
	if err := c.get(ctx, route(api.RouteSurvey, "id", id), "", r.UnmarshalEasyJSON); err != nil {
		return nil, err
	}
	return &r, nil
}

// SendChatSurvey sends survey answers (question id → number or string).
func (c *Client) SendChatSurvey(ctx context.Context, answers api.SurveyAnswers) error {
	if len(answers) == 0 {
		return invalid("no survey answers")
	}
	id, err := c.currentID()
	if err != nil {
		return err
	}
	return c.post(ctx, route(api.RouteSurvey, "id", id), (&api.SurveyRequest{Answers: answers}).MarshalEasyJSON, nil)
}

// SendChatRate sends the end user's rating (1 to 5) of the current chat.
func (c *Client) SendChatRate(ctx context.Context, data api.RateRequest) error {
	if data.Rating < 1 || data.Rating > 5 {
		return invalid("rating must be 1 to 5, got %d", data.Rating)
	}
	id, err := c.currentID()
	if err != nil {
		return err
	}
	return c.post(ctx, route(api.RouteRating, "id", id), data.MarshalEasyJSON, nil)
}
