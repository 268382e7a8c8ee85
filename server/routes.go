package server

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/media"
)

// route is one route of one of the platform's HTTP APIs. Each API's routes
// are one table below, and each row states the route's limits: its
// deadline, the most its body may carry and the rate it draws from. mount
// applies them, the handlers read the same classes (readJSON,
// parseMultipart) and the tests read the table (every route has its
// limits, every end-user route and every limit is documented; the
// bridge's allow-list, api.BridgeRoutes, is a part of it). A route added
// anywhere else has none of that.
type route struct {
	method, pattern string
	h               guarded
	// long lifts the request's read and write deadlines to this, for
	// routes that may outlast Config.Timeouts: long polls wait for events,
	// uploads and downloads move files. 0: the connection's timeouts.
	long time.Duration
	body bodyClass // the most the request's body may carry
	rate rateClass // the limiter the route draws from
}

// guarded is a route's handler before mounting: its adapter (user, rest,
// agent, open, plain) authenticates, then takes a token of the row's rate
// class (mount hands it the row), then calls the handler.
type guarded func(rt route) http.HandlerFunc

// bodyClass is how large a route's request body may be; mount bounds the
// body with it (past it: 413 payload_too_large) and the handlers read the
// same limit.
type bodyClass int

const (
	bodyUnset  bodyClass = iota // a row that forgot: mount refuses it
	bodyNone                    // GET, DELETE: no body is read
	bodyJSON                    // a JSON body: maxJSONBody
	bodyFile                    // one file in a multipart form: the company's max file size
	bodyEmail                   // an email: JSON, or a form with up to maxEmailFiles files
	bodyUpload                  // a presigned media upload: the largest media kind (media.MaxUploadBody)
)

// maxBody is the limit of class b.
func (s *Server) maxBody(b bodyClass) int64 {
	switch b {
	case bodyNone:
		return 0
	case bodyJSON:
		return maxJSONBody
	case bodyFile:
		return s.filePolicy().Limit() + multipartOverhead
	case bodyEmail:
		return maxEmailFiles*s.filePolicy().Limit() + multipartOverhead
	case bodyUpload:
		return media.MaxUploadBody()
	}
	panic(fmt.Sprintf("server: no body limit for class %d", b))
}

// rateClass is the limiter a route draws a token from (Config.Rates,
// Config.RESTRate); past it: 429 rate_limited with Retry-After.
type rateClass int

const (
	rateUnset       rateClass = iota // a row that forgot: mount refuses it
	rateNone                         // none: a one-use ticket, a signed URL or an agent session authorises it
	rateEndUser                      // per end user, after the session check (Rates.EndUser)
	rateToken                        // per client address, before anything (Rates.Token)
	rateREST                         // per company, after Basic auth (Config.RESTRate)
	rateAgentSignIn                  // the REST rate, in a bucket of its own, before Basic auth
)

// take takes a token of class rc for r; who is the end user of rateEndUser.
func (s *Server) take(w http.ResponseWriter, r *http.Request, rc rateClass, who int64) error {
	switch rc {
	case rateNone:
		return nil
	case rateEndUser:
		return takeToken(w, s.lim.endUser, strconv.FormatInt(who, 10))
	case rateToken:
		return takeToken(w, s.lim.token, clientAddr(r))
	case rateREST:
		return takeToken(w, s.limiter, s.company.ID)
	case rateAgentSignIn:
		return takeToken(w, s.limiter, "agent-sign-in:"+s.company.ID)
	}
	panic(fmt.Sprintf("server: no limiter for rate class %d", rc))
}

// mustRate panics at mount when an adapter is given a rate class it cannot
// key (an end user's rate on a route without a session): a wrong row
// fails New, and with it every test.
func mustRate(rt route, allowed ...rateClass) {
	for _, a := range allowed {
		if rt.rate == a {
			return
		}
	}
	panic(fmt.Sprintf("server: route %s %s: rate class %d does not fit its adapter", rt.method, rt.pattern, rt.rate))
}

// open adapts a route without a session: it takes its token first.
func (s *Server) open(h func(w http.ResponseWriter, r *http.Request) error) guarded {
	return func(rt route) http.HandlerFunc {
		mustRate(rt, rateNone, rateToken, rateAgentSignIn)
		return s.handle(func(w http.ResponseWriter, r *http.Request) error {
			if err := s.take(w, r, rt.rate, 0); err != nil {
				return err
			}
			return h(w, r)
		})
	}
}

// plain adapts a handler that answers by itself (the media uploader).
func (s *Server) plain(h http.HandlerFunc) guarded {
	return func(rt route) http.HandlerFunc {
		mustRate(rt, rateNone)
		return h
	}
}

// Deadlines of the long routes. The realtime WebSocket needs none: a
// hijacked connection has no deadlines, and the realtime loop pings it.
const (
	pollDeadline     = maxPollTimeout*time.Second + 15*time.Second
	transferDeadline = 10 * time.Minute
)

// mount registers the routes of every API on mux, each with its limits.
func (s *Server) mount(mux *http.ServeMux) {
	for _, table := range [][]route{s.endUserAPI(), s.restAPI(), s.agentAPI()} {
		for _, r := range table {
			if r.body == bodyUnset || r.rate == rateUnset {
				panic(fmt.Sprintf("server: route %s %s has no body or rate class", r.method, r.pattern))
			}
			mux.HandleFunc(r.method+" "+r.pattern, withDeadline(r.long, withBody(s.maxBody(r.body), r.h(r))))
		}
	}
}

// withBody bounds h's request bodies to limit bytes.
func withBody(limit int64, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h(w, r)
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
		{"POST", api.RouteToken, s.open(s.handleToken), 0, bodyJSON, rateToken},
		{"GET", api.RouteCompany, s.user(s.handleCompany), 0, bodyNone, rateEndUser},
		{"GET", api.RouteAfterHours, s.user(s.handleAfterHours), 0, bodyNone, rateEndUser},
		{"GET", api.RouteTriggers, s.user(s.handleTriggers), 0, bodyNone, rateEndUser},
		{"GET", api.RouteFileTypes, s.user(s.handleFileTypes), 0, bodyNone, rateEndUser},
		{"GET", api.RouteMenus, s.user(s.handleMenus), 0, bodyNone, rateEndUser},
		{"GET", api.RouteWaitTimes, s.user(s.handleWaitTimes), 0, bodyNone, rateEndUser},
		{"GET", api.RouteTimeSlots, s.user(s.handleTimeSlots), 0, bodyNone, rateEndUser},
		{"POST", api.RouteChats, s.user(s.handleCreateChat), 0, bodyJSON, rateEndUser},
		{"GET", api.RouteChat, s.user(s.handleGetChat), 0, bodyNone, rateEndUser},
		{"POST", api.RouteChatFinish, s.user(s.handleFinishChat), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteChatDestroy, s.user(s.handleDestroyChat), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteChatResume, s.user(s.handleResumeChat), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteEscalations, s.user(s.handleEscalate), 0, bodyJSON, rateEndUser},
		{"GET", api.RouteMessages, s.user(s.handleListMessages), 0, bodyNone, rateEndUser},
		{"POST", api.RouteMessages, s.user(s.handleSendMessage), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteMessageBatch, s.user(s.handleSendMessages), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteTyping, s.user(s.handleTyping), 0, bodyJSON, rateEndUser},
		{"POST", api.RoutePreview, s.user(s.handlePreview), 0, bodyJSON, rateEndUser},
		{"GET", api.RouteDeflection, s.user(s.handleDeflection), 0, bodyNone, rateEndUser},
		{"GET", api.RouteSurvey, s.user(s.handleGetSurvey), 0, bodyNone, rateEndUser},
		{"POST", api.RouteSurvey, s.user(s.handleSendSurvey), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteRating, s.user(s.handleRate), 0, bodyJSON, rateEndUser},
		{"POST", api.RoutePostSession, s.user(s.handlePostSession), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteEscalationTrack, s.user(s.handleTrackEscalation), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteEndUserEvents, s.user(s.handleEndUserEvent), 0, bodyJSON, rateEndUser},
		{"GET", api.RouteChatHistory, s.user(s.handleChatHistory), 0, bodyNone, rateEndUser},
		{"POST", api.RouteRealtimeTicket, s.user(s.handleTicket), 0, bodyJSON, rateEndUser},
		{"GET", api.RouteRealtime, s.open(s.handleRealtime), 0, bodyNone, rateNone},
		{"GET", api.RoutePoll, s.user(s.handlePoll), pollDeadline, bodyNone, rateEndUser},
		{"POST", api.RouteCalls, s.user(s.handleCreateCall), 0, bodyJSON, rateEndUser},
		{"GET", api.RouteCall, s.user(s.handleGetCall), 0, bodyNone, rateEndUser},
		{"POST", api.RouteCallCancel, s.user(s.handleCancelCall), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteEmails, s.user(s.handleCreateEmail), transferDeadline, bodyEmail, rateEndUser},
		{"POST", api.RouteCobrowseCodes, s.user(s.handleCobrowseCode), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteCobrowseSessions, s.user(s.handleStartCobrowse), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteFiles, s.user(s.handleSendFile), transferDeadline, bodyFile, rateEndUser},
		{"GET", api.RouteMedia, s.open(s.handleMedia), transferDeadline, bodyNone, rateNone},
		{"POST", api.RouteTranscriptEmail, s.user(s.handleTranscriptEmail), 0, bodyJSON, rateEndUser},
		{"POST", api.RouteTranscriptPDF, s.user(s.handleTranscriptPDF), 0, bodyJSON, rateEndUser},
		{"GET", api.RouteTranscript, s.user(s.handleTranscript), transferDeadline, bodyNone, rateEndUser},
		{"POST", api.RouteTakeover, s.user(s.handleTakeover), 0, bodyJSON, rateEndUser},
	}
}

// restAPI is the Chat platform REST API (docs/rest-api.md), under
// RESTPrefix, and the presigned media uploads it hands out.
func (s *Server) restAPI() []route {
	return []route{
		{"GET", RESTPrefix + "/calls", s.rest(s.restListCalls), 0, bodyNone, rateREST},
		{"GET", RESTPrefix + "/calls/{id}", s.rest(s.restGetCall), 0, bodyNone, rateREST},
		{"GET", RESTPrefix + "/cobrowse/{id}", s.rest(s.restGetCobrowse), 0, bodyNone, rateREST},
		{"POST", RESTPrefix + "/cobrowse/{id}/end", s.rest(s.restEndCobrowse), 0, bodyJSON, rateREST},
		{"POST", RESTPrefix + "/chats/{id}/photos/upload", s.rest(s.restPresign(media.KindPhoto)), 0, bodyJSON, rateREST},
		{"POST", RESTPrefix + "/chats/{id}/videos/upload", s.rest(s.restPresign(media.KindVideo)), 0, bodyJSON, rateREST},
		{"POST", RESTPrefix + "/chats/{id}/photos", s.rest(s.restAttachPhotos), transferDeadline, bodyJSON, rateREST},
		{"POST", RESTPrefix + "/chats/{id}/videos", s.rest(s.restAttachVideo), transferDeadline, bodyJSON, rateREST},
		{"GET", RESTPrefix + "/chats/{id}/photos", s.rest(s.restListMedia(api.MsgPhoto)), transferDeadline, bodyNone, rateREST},
		{"GET", RESTPrefix + "/chats/{id}/videos", s.rest(s.restListMedia(api.MsgVideo)), transferDeadline, bodyNone, rateREST},
		{"POST", RESTPrefix + "/chats/{id}/custom_data", s.rest(s.restCustomData), 0, bodyJSON, rateREST},
		{"POST", RESTPrefix + "/chats/{id}/end-user", s.rest(s.restUpdateEndUser), 0, bodyJSON, rateREST},
		{"POST", RESTPrefix + "/chats", s.rest(s.restCreateChat), 0, bodyJSON, rateREST},
		{"GET", RESTPrefix + "/chats/{id}", s.rest(s.restGetChat), 0, bodyNone, rateREST},
		{"PATCH", RESTPrefix + "/chats/{id}", s.rest(s.restPatchChat), 0, bodyJSON, rateREST},
		{"POST", RESTPrefix + "/chats/{id}/message", s.rest(s.restSendMessage), 0, bodyJSON, rateREST},
		{"POST", RESTPrefix + "/chats/{id}/escalations", s.rest(s.restEscalate), 0, bodyJSON, rateREST},
		{"PATCH", RESTPrefix + "/chats/{id}/escalations/{eid}", s.rest(s.restPatchEscalation), 0, bodyJSON, rateREST},
		{"GET", RESTPrefix + "/chats/{id}/customer_flag", s.rest(s.restGetFlags), 0, bodyNone, rateREST},
		{"POST", RESTPrefix + "/chats/{id}/customer_flag", s.rest(s.restSetFlags), 0, bodyJSON, rateREST},
		{"POST", uploadPath, s.plain(s.uploader.ServeHTTP), transferDeadline, bodyUpload, rateNone},
	}
}

// agentAPI is the agent console's API (docs/agent-api.md), under
// AgentPrefix.
func (s *Server) agentAPI() []route {
	return []route{
		{"POST", AgentPrefix + "/session", s.open(s.handleAgentSignIn), 0, bodyJSON, rateAgentSignIn},
		{"DELETE", AgentPrefix + "/session", s.agent(s.handleAgentSignOut), 0, bodyNone, rateNone},
		{"GET", AgentPrefix + "/me", s.agent(s.handleAgentMe), 0, bodyNone, rateNone},
		{"PUT", AgentPrefix + "/presence", s.agent(s.handleAgentPresence), 0, bodyJSON, rateNone},
		{"GET", AgentPrefix + "/chats", s.agent(s.handleAgentChats), 0, bodyNone, rateNone},
		{"GET", AgentPrefix + "/chats/{id}", s.agent(s.handleAgentChat), 0, bodyNone, rateNone},
		{"POST", AgentPrefix + "/chats/{id}/accept", s.agent(s.handleAgentAccept), 0, bodyJSON, rateNone},
		{"POST", AgentPrefix + "/chats/{id}/messages", s.agent(s.handleAgentMessage), 0, bodyJSON, rateNone},
		{"POST", AgentPrefix + "/chats/{id}/files", s.agent(s.handleAgentFile), transferDeadline, bodyFile, rateNone},
		{"POST", AgentPrefix + "/chats/{id}/typing", s.agent(s.handleAgentTyping), 0, bodyJSON, rateNone},
		{"POST", AgentPrefix + "/chats/{id}/end", s.agent(s.handleAgentEnd), 0, bodyJSON, rateNone},
		{"GET", AgentPrefix + "/feedback", s.agent(s.handleAgentFeedback), 0, bodyNone, rateNone},
		{"GET", AgentPrefix + "/events", s.agent(s.handleFeed), pollDeadline, bodyNone, rateNone},
		{"GET", AgentPrefix + "/media/{mid}", s.agent(s.handleAgentMedia), transferDeadline, bodyNone, rateNone},
		{"GET", AgentPrefix + "/calls", s.agent(s.handleAgentCalls), 0, bodyNone, rateNone},
		{"POST", AgentPrefix + "/chats/{id}/calls", s.agent(s.handleAgentScheduleCall), 0, bodyJSON, rateNone},
		{"POST", AgentPrefix + "/calls/{id}/cancel", s.agent(s.handleAgentCancelCall), 0, bodyJSON, rateNone},
	}
}
