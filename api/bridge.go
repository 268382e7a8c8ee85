package api

// Route is one end-user API request: an HTTP method and a route pattern
// (the Route* constants, {name} standing for one path segment).
type Route struct {
	Method  string
	Pattern string
}

// BridgeRoutes is the communication iframe's allow-list: the only requests
// js/bridge.js sends for the page, with the session token it keeps. It is
// every end-user route but three: the token exchange (the bridge makes it
// itself, for the "session" request, and keeps the token), the takeover
// (its answer carries a session token) and the realtime WebSocket (the
// page opens it with a single-use ticket). js/bridge-routes.js is generated
// from this table (go generate ./api); a test keeps the two in step and the
// server's tests check that each route is served.
var BridgeRoutes = []Route{
	{"GET", RouteCompany},
	{"GET", RouteAfterHours},
	{"GET", RouteTriggers},
	{"GET", RouteFileTypes},
	{"GET", RouteMenus},
	{"GET", RouteWaitTimes},
	{"GET", RouteTimeSlots},
	{"POST", RouteCalls},
	{"GET", RouteCall},
	{"POST", RouteCallCancel},
	{"POST", RouteChats},
	{"GET", RouteChat},
	{"POST", RouteChatResume},
	{"POST", RouteChatFinish},
	{"POST", RouteChatDestroy},
	{"GET", RouteMessages},
	{"POST", RouteMessages},
	{"POST", RouteMessageBatch},
	{"POST", RouteFiles},
	{"POST", RoutePreview},
	{"POST", RouteTyping},
	{"GET", RouteDeflection},
	{"POST", RouteTranscriptEmail},
	{"POST", RouteTranscriptPDF},
	{"GET", RouteTranscript},
	{"GET", RouteSurvey},
	{"POST", RouteSurvey},
	{"POST", RouteRating},
	{"POST", RouteEscalations},
	{"POST", RouteEscalationTrack},
	{"POST", RouteEndUserEvents},
	{"POST", RoutePostSession},
	{"POST", RouteRealtimeTicket},
	{"GET", RoutePoll},
	{"GET", RouteChatHistory},
	{"GET", RouteMedia},
	{"POST", RouteEmails},
	{"POST", RouteCobrowseCodes},
	{"POST", RouteCobrowseSessions},
}
