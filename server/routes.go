package server

import (
	"net/http"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/media"
)

// route is one route of one of the platform's HTTP APIs. Each API's routes
// are one table below: routes mounts them, their deadlines come from it,
// and the tests read it (every end-user route is documented and its
// limits too; the bridge's allow-list, api.BridgeRoutes, is a part of it).
// A route added anywhere else has none of that.
type route struct {
	method, pattern string
	h               http.HandlerFunc
	// long lifts the request's read and write deadlines to this, for
	// routes that may outlast Config.Timeouts: long polls wait for events,
	// uploads and downloads move files. 0: the connection's timeouts.
	long time.Duration
}

// Deadlines of the long routes. The realtime WebSocket needs none: a
// hijacked connection has no deadlines, and the realtime loop pings it.
const (
	pollDeadline     = maxPollTimeout*time.Second + 15*time.Second
	transferDeadline = 10 * time.Minute
)

// mount registers the routes of every API on mux.
func (s *Server) mount(mux *http.ServeMux) {
	for _, table := range [][]route{s.endUserAPI(), s.restAPI(), s.agentAPI()} {
		for _, r := range table {
			mux.HandleFunc(r.method+" "+r.pattern, withDeadline(r.long, r.h))
		}
	}
}

// withDeadline gives h's requests the deadline d (none when d is 0).
func withDeadline(d time.Duration, h http.HandlerFunc) http.HandlerFunc {
	if d == 0 {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		end := time.Now().Add(d)
		// Not every ResponseWriter can (an httptest recorder): then there
		// is no deadline to lift either.
		_ = rc.SetReadDeadline(end)
		_ = rc.SetWriteDeadline(end)
		h(w, r)
	}
}

// endUserAPI is the end-user API (docs/enduser-api.md), under api.Prefix.
func (s *Server) endUserAPI() []route {
	return []route{
		{"POST", api.RouteToken, s.handle(s.handleToken), 0},
		{"GET", api.RouteCompany, s.user(s.handleCompany), 0},
		{"GET", api.RouteAfterHours, s.user(s.handleAfterHours), 0},
		{"GET", api.RouteTriggers, s.user(s.handleTriggers), 0},
		{"GET", api.RouteFileTypes, s.user(s.handleFileTypes), 0},
		{"GET", api.RouteMenus, s.user(s.handleMenus), 0},
		{"GET", api.RouteWaitTimes, s.user(s.handleWaitTimes), 0},
		{"GET", api.RouteTimeSlots, s.user(s.handleTimeSlots), 0},
		{"POST", api.RouteChats, s.user(s.handleCreateChat), 0},
		{"GET", api.RouteChat, s.user(s.handleGetChat), 0},
		{"POST", api.RouteChatFinish, s.user(s.handleFinishChat), 0},
		{"POST", api.RouteChatDestroy, s.user(s.handleDestroyChat), 0},
		{"POST", api.RouteChatResume, s.user(s.handleResumeChat), 0},
		{"POST", api.RouteEscalations, s.user(s.handleEscalate), 0},
		{"GET", api.RouteMessages, s.user(s.handleListMessages), 0},
		{"POST", api.RouteMessages, s.user(s.handleSendMessage), 0},
		{"POST", api.RouteTyping, s.user(s.handleTyping), 0},
		{"POST", api.RoutePreview, s.user(s.handlePreview), 0},
		{"GET", api.RouteDeflection, s.user(s.handleDeflection), 0},
		{"GET", api.RouteSurvey, s.user(s.handleGetSurvey), 0},
		{"POST", api.RouteSurvey, s.user(s.handleSendSurvey), 0},
		{"POST", api.RouteRating, s.user(s.handleRate), 0},
		{"POST", api.RoutePostSession, s.user(s.handlePostSession), 0},
		{"POST", api.RouteEscalationTrack, s.user(s.handleTrackEscalation), 0},
		{"POST", api.RouteEndUserEvents, s.user(s.handleEndUserEvent), 0},
		{"GET", api.RouteChatHistory, s.user(s.handleChatHistory), 0},
		{"POST", api.RouteRealtimeTicket, s.user(s.handleTicket), 0},
		{"GET", api.RouteRealtime, s.handle(s.handleRealtime), 0},
		{"GET", api.RoutePoll, s.user(s.handlePoll), pollDeadline},
		{"POST", api.RouteCalls, s.user(s.handleCreateCall), 0},
		{"GET", api.RouteCall, s.user(s.handleGetCall), 0},
		{"POST", api.RouteCallCancel, s.user(s.handleCancelCall), 0},
		{"POST", api.RouteEmails, s.user(s.handleCreateEmail), transferDeadline},
		{"POST", api.RouteCobrowseCodes, s.user(s.handleCobrowseCode), 0},
		{"POST", api.RouteCobrowseSessions, s.user(s.handleStartCobrowse), 0},
		{"POST", api.RouteFiles, s.user(s.handleSendFile), transferDeadline},
		{"GET", api.RouteMedia, s.handle(s.handleMedia), transferDeadline},
		{"POST", api.RouteTranscriptEmail, s.user(s.handleTranscriptEmail), 0},
		{"POST", api.RouteTranscriptPDF, s.user(s.handleTranscriptPDF), 0},
		{"GET", api.RouteTranscript, s.user(s.handleTranscript), transferDeadline},
		{"POST", api.RouteTakeover, s.user(s.handleTakeover), 0},
	}
}

// restAPI is the Chat platform REST API (docs/rest-api.md), under
// RESTPrefix, and the presigned media uploads it hands out.
func (s *Server) restAPI() []route {
	return []route{
		{"GET", RESTPrefix + "/calls", s.rest(s.restListCalls), 0},
		{"GET", RESTPrefix + "/calls/{id}", s.rest(s.restGetCall), 0},
		{"GET", RESTPrefix + "/cobrowse/{id}", s.rest(s.restGetCobrowse), 0},
		{"POST", RESTPrefix + "/cobrowse/{id}/end", s.rest(s.restEndCobrowse), 0},
		{"POST", RESTPrefix + "/chats/{id}/photos/upload", s.rest(s.restPresign(media.KindPhoto)), 0},
		{"POST", RESTPrefix + "/chats/{id}/videos/upload", s.rest(s.restPresign(media.KindVideo)), 0},
		{"POST", RESTPrefix + "/chats/{id}/photos", s.rest(s.restAttachPhotos), transferDeadline},
		{"POST", RESTPrefix + "/chats/{id}/videos", s.rest(s.restAttachVideo), transferDeadline},
		{"GET", RESTPrefix + "/chats/{id}/photos", s.rest(s.restListMedia(api.MsgPhoto)), transferDeadline},
		{"GET", RESTPrefix + "/chats/{id}/videos", s.rest(s.restListMedia(api.MsgVideo)), transferDeadline},
		{"POST", RESTPrefix + "/chats/{id}/custom_data", s.rest(s.restCustomData), 0},
		{"POST", RESTPrefix + "/chats/{id}/end-user", s.rest(s.restUpdateEndUser), 0},
		{"POST", RESTPrefix + "/chats", s.rest(s.restCreateChat), 0},
		{"GET", RESTPrefix + "/chats/{id}", s.rest(s.restGetChat), 0},
		{"PATCH", RESTPrefix + "/chats/{id}", s.rest(s.restPatchChat), 0},
		{"POST", RESTPrefix + "/chats/{id}/message", s.rest(s.restSendMessage), 0},
		{"POST", RESTPrefix + "/chats/{id}/escalations", s.rest(s.restEscalate), 0},
		{"PATCH", RESTPrefix + "/chats/{id}/escalations/{eid}", s.rest(s.restPatchEscalation), 0},
		{"GET", RESTPrefix + "/chats/{id}/customer_flag", s.rest(s.restGetFlags), 0},
		{"POST", RESTPrefix + "/chats/{id}/customer_flag", s.rest(s.restSetFlags), 0},
		{"POST", uploadPath, s.uploader.ServeHTTP, transferDeadline},
	}
}

// agentAPI is the agent console's API (docs/agent-api.md), under
// AgentPrefix.
func (s *Server) agentAPI() []route {
	return []route{
		{"POST", AgentPrefix + "/session", s.handle(s.handleAgentSignIn), 0},
		{"DELETE", AgentPrefix + "/session", s.agent(s.handleAgentSignOut), 0},
		{"GET", AgentPrefix + "/me", s.agent(s.handleAgentMe), 0},
		{"PUT", AgentPrefix + "/presence", s.agent(s.handleAgentPresence), 0},
		{"GET", AgentPrefix + "/chats", s.agent(s.handleAgentChats), 0},
		{"GET", AgentPrefix + "/chats/{id}", s.agent(s.handleAgentChat), 0},
		{"POST", AgentPrefix + "/chats/{id}/accept", s.agent(s.handleAgentAccept), 0},
		{"POST", AgentPrefix + "/chats/{id}/messages", s.agent(s.handleAgentMessage), 0},
		{"POST", AgentPrefix + "/chats/{id}/files", s.agent(s.handleAgentFile), transferDeadline},
		{"POST", AgentPrefix + "/chats/{id}/typing", s.agent(s.handleAgentTyping), 0},
		{"POST", AgentPrefix + "/chats/{id}/end", s.agent(s.handleAgentEnd), 0},
		{"GET", AgentPrefix + "/feedback", s.agent(s.handleAgentFeedback), 0},
		{"GET", AgentPrefix + "/events", s.agent(s.handleFeed), pollDeadline},
		{"GET", AgentPrefix + "/media/{mid}", s.agent(s.handleAgentMedia), transferDeadline},
		{"GET", AgentPrefix + "/calls", s.agent(s.handleAgentCalls), 0},
		{"POST", AgentPrefix + "/chats/{id}/calls", s.agent(s.handleAgentScheduleCall), 0},
		{"POST", AgentPrefix + "/calls/{id}/cancel", s.agent(s.handleAgentCancelCall), 0},
	}
}
