// Package agentapi is the agent console's API (docs/agent-api.md), this
// platform's own extension: agents sign in with the company's REST
// credentials, set their presence, list and take chats, send messages and
// files, schedule calls back, and follow the company's events through a
// long-polled feed. Its handlers decode, call server/chat and encode; its
// routes and their limits are one table (Routes).
package agentapi

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/httpapi"
)

// Prefix is where the agent console API lives (docs/agent-api.md).
// It is this platform's own extension: the real platform's agent desktop
// is not part of the documented APIs.
const Prefix = "/agent/v1"

// API is the agent console's API of one platform.
type API struct {
	*httpapi.Platform
	feed *agentFeed // every event of the company's chats, for the console
}

// New returns the agent API over p.
func New(p *httpapi.Platform) *API { return &API{Platform: p, feed: newAgentFeed()} }

// Observe adds e to the agent feed; the hub's tap calls it for every
// published event, so it never blocks.
func (s *API) Observe(e api.Event) { s.feed.add(e) }

// Routes is the agent console's API (docs/agent-api.md), under Prefix.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Pattern: Prefix + "/session", H: s.Open(s.handleAgentSignIn), Body: httpapi.BodyJSON, Rate: httpapi.RateAgentSignIn},
		{Method: "DELETE", Pattern: Prefix + "/session", H: s.agent(s.handleAgentSignOut), Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "GET", Pattern: Prefix + "/me", H: s.agent(s.handleAgentMe), Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "PUT", Pattern: Prefix + "/presence", H: s.agent(s.handleAgentPresence), Body: httpapi.BodyJSON, Rate: httpapi.RateNone},
		{Method: "GET", Pattern: Prefix + "/chats", H: s.agent(s.handleAgentChats), Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "GET", Pattern: Prefix + "/chats/{id}", H: s.agent(s.handleAgentChat), Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/accept", H: s.agent(s.handleAgentAccept), Body: httpapi.BodyJSON, Rate: httpapi.RateNone},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/messages", H: s.agent(s.handleAgentMessage), Body: httpapi.BodyJSON, Rate: httpapi.RateNone},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/files", H: s.agent(s.handleAgentFile), Long: httpapi.TransferDeadline, Body: httpapi.BodyFile, Rate: httpapi.RateNone},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/typing", H: s.agent(s.handleAgentTyping), Body: httpapi.BodyJSON, Rate: httpapi.RateNone},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/end", H: s.agent(s.handleAgentEnd), Body: httpapi.BodyJSON, Rate: httpapi.RateNone},
		{Method: "GET", Pattern: Prefix + "/feedback", H: s.agent(s.handleAgentFeedback), Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "GET", Pattern: Prefix + "/events", H: s.agent(s.handleFeed), Long: httpapi.PollDeadline, Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "GET", Pattern: Prefix + "/media/{mid}", H: s.agent(s.handleAgentMedia), Long: httpapi.TransferDeadline, Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "GET", Pattern: Prefix + "/calls", H: s.agent(s.handleAgentCalls), Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/calls", H: s.agent(s.handleAgentScheduleCall), Body: httpapi.BodyJSON, Rate: httpapi.RateNone},
		{Method: "POST", Pattern: Prefix + "/calls/{id}/cancel", H: s.agent(s.handleAgentCancelCall), Body: httpapi.BodyJSON, Rate: httpapi.RateNone},
	}
}

// handleAgentMedia lets a signed-in agent open any media of the company
// (what customers and agents sent in chats), as the REST API's credentials
// can.
func (s *API) handleAgentMedia(w http.ResponseWriter, r *http.Request, _ *api.Agent) error {
	mid, err := httpapi.PathID(r, "mid")
	if err != nil {
		return err
	}
	m, err := s.Chat.LoadMedia(r.Context(), s.DB, mid)
	if err != nil {
		return err
	}
	return s.ServeMedia(w, r, m)
}
