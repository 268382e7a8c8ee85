// Package enduserapi is the end-user API (docs/enduser-api.md) the SDK
// talks to: the token exchange and sessions, the company's configuration,
// chats and their messages, files, feedback, calls, emails, cobrowse,
// transcripts, and the realtime channel (WebSocket and long poll). Its
// handlers decode, call server/chat and encode; its routes and their
// limits are one table (Routes).
package enduserapi

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/realtime"
	"github.com/ccaip/headless-go/server/transcript"
)

// Config is what the end-user API needs beside the Platform.
type Config struct {
	Hub          *realtime.Hub // the chats' events, for the realtime channel
	TicketTTL    time.Duration // life of a realtime ticket
	PingInterval time.Duration // spacing of realtime pings
	// Outbox is the directory of the .eml files of the emails it sends.
	Outbox string
	// MailFrom is the From address of the platform's emails; "" means
	// the company's support email.
	MailFrom string
	// SMTP, when set, also delivers transcript emails.
	SMTP *transcript.SMTPSender
	// CheckOrigin allows or refuses a realtime WebSocket's Origin.
	CheckOrigin func(r *http.Request) error
}

// Faults are the end-user API's part of the platform's fault injection
// (server.Faults).
type Faults struct {
	RejectSends bool            // refuse text and file messages as invalid
	Offline     bool            // answer the realtime endpoints unavailable
	Frames      realtime.Faults // faults of the realtime frames
}

// API is the end-user API of one platform.
type API struct {
	*httpapi.Platform
	cfg         Config
	tickets     *realtime.Tickets
	faults      atomic.Pointer[Faults]
	frameFaults atomic.Pointer[realtime.Faults] // faults.Frames, as the realtime streams read it
}

// New returns the end-user API over p.
func New(p *httpapi.Platform, cfg Config) *API {
	s := &API{Platform: p, cfg: cfg, tickets: realtime.NewTickets()}
	s.SetFaults(Faults{})
	return s
}

// SetFaults replaces the fault injection; it applies to existing realtime
// connections from their next frame and to new ones.
func (s *API) SetFaults(f Faults) {
	frames := f.Frames
	s.faults.Store(&f)
	s.frameFaults.Store(&frames)
}

// errRejectedSend and errOffline are the answers of Faults.RejectSends and
// Faults.Offline (new values each: handlers may annotate errors).
func errRejectedSend() error {
	return api.Errorf(api.CodeInvalidArgument, "message refused (fault injection)")
}

func errOffline() error {
	return api.Errorf(api.CodeUnavailable, "realtime unavailable (fault injection)")
}

// Routes is the end-user API (docs/enduser-api.md), under api.Prefix.
func (s *API) Routes() []httpapi.Route {
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
		{Method: "POST", Pattern: api.RouteMessageBatch, H: s.user(s.handleSendMessages), Body: httpapi.BodyJSON, Rate: httpapi.RateEndUser},
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
