package server

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/restapi"
)

// tables are the route tables of the three HTTP APIs, each the API's own
// (mount serves them, the tests read them).
func (s *Server) tables() (endUser, rest, agent []httpapi.Route) {
	return s.endUserAPI(), restapi.New(s.Platform, s.uploader).Routes(), s.agents.Routes()
}

// mount registers the routes of every API on mux, each with its limits.
func (s *Server) mount(mux *http.ServeMux) {
	endUser, rest, agent := s.tables()
	for _, table := range [][]httpapi.Route{endUser, rest, agent} {
		httpapi.Mount(mux, table, s.MaxBody)
	}
}

// endUserAPI is the end-user API (docs/enduser-api.md), under api.Prefix.
func (s *Server) endUserAPI() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Pattern: api.RouteToken, H: s.Open(s.handleToken), Body: httpapi.BodyJSON, Rate: httpapi.RateToken},
		{Method: "GET", Pattern: api.RouteCompany, H: s.user(s.handleCompany), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteAfterHours, H: s.user(s.handleAfterHours), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteTriggers, H: s.user(s.handleTriggers), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteFileTypes, H: s.user(s.handleFileTypes), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteMenus, H: s.user(s.handleMenus), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteWaitTimes, H: s.user(s.handleWaitTimes), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteTimeSlots, H: s.user(s.handleTimeSlots), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteChats, H: s.user(s.handleCreateChat), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteChat, H: s.user(s.handleGetChat), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteChatFinish, H: s.user(s.handleFinishChat), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteChatDestroy, H: s.user(s.handleDestroyChat), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteChatResume, H: s.user(s.handleResumeChat), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteEscalations, H: s.user(s.handleEscalate), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteMessages, H: s.user(s.handleListMessages), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteMessages, H: s.user(s.handleSendMessage), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteTyping, H: s.user(s.handleTyping), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RoutePreview, H: s.user(s.handlePreview), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteDeflection, H: s.user(s.handleDeflection), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteSurvey, H: s.user(s.handleGetSurvey), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteSurvey, H: s.user(s.handleSendSurvey), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteRating, H: s.user(s.handleRate), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RoutePostSession, H: s.user(s.handlePostSession), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteEscalationTrack, H: s.user(s.handleTrackEscalation), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteEndUserEvents, H: s.user(s.handleEndUserEvent), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteChatHistory, H: s.user(s.handleChatHistory), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteRealtimeTicket, H: s.user(s.handleTicket), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteRealtime, H: s.Open(s.handleRealtime), Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "GET", Pattern: api.RoutePoll, H: s.user(s.handlePoll), Long: httpapi.PollDeadline, Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteCalls, H: s.user(s.handleCreateCall), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteCall, H: s.user(s.handleGetCall), Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteCallCancel, H: s.user(s.handleCancelCall), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteEmails, H: s.user(s.handleCreateEmail), Long: httpapi.TransferDeadline, Body: httpapi.BodyEmail, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteCobrowseCodes, H: s.user(s.handleCobrowseCode), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteCobrowseSessions, H: s.user(s.handleStartCobrowse), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteFiles, H: s.user(s.handleSendFile), Long: httpapi.TransferDeadline, Body: httpapi.BodyFile, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteMedia, H: s.Open(s.handleMedia), Long: httpapi.TransferDeadline, Body: httpapi.BodyNone, Rate: httpapi.RateNone},
		{Method: "POST", Pattern: api.RouteTranscriptEmail, H: s.user(s.handleTranscriptEmail), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteTranscriptPDF, H: s.user(s.handleTranscriptPDF), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
		{Method: "GET", Pattern: api.RouteTranscript, H: s.user(s.handleTranscript), Long: httpapi.TransferDeadline, Body: httpapi.BodyNone, Rate: httpapi.RateEndUser},
		{Method: "POST", Pattern: api.RouteTakeover, H: s.user(s.handleTakeover), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
	}
}
