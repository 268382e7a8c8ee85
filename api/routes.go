package api

// Prefix is where the end-user API lives on the platform host. Every route
// below but RouteToken needs "Authorization: Bearer <session token>".
// docs/enduser-api.md documents each one.
const Prefix = "/enduser/v1"

// End-user API routes, as Go 1.22 ServeMux patterns without the method.
// {id} is a chat id unless said otherwise.
const (
	RouteToken            = Prefix + "/auth/token"                         // POST TokenRequest → Session
	RouteTakeover         = Prefix + "/auth/takeover"                      // POST TakeoverRequest → Session
	RouteCompany          = Prefix + "/company"                            // GET → CompanyResponse
	RouteAfterHours       = Prefix + "/company/after_hours_message"        // GET ?lang → AfterHourMessage
	RouteTriggers         = Prefix + "/triggers"                           // GET → []TriggerItem
	RouteFileTypes        = Prefix + "/file_types"                         // GET → []FileTypeItem
	RouteMenus            = Prefix + "/menus"                              // GET ?key&lang → MenuResponse
	RouteWaitTimes        = Prefix + "/menus/{menu}/wait_times"            // GET ?lang → WaitTimeResponse
	RouteTimeSlots        = Prefix + "/menus/{menu}/time_slots"            // GET ?lang → []string
	RouteCalls            = Prefix + "/calls"                              // POST CallRequest → CallResponse
	RouteCall             = Prefix + "/calls/{id}"                         // GET → CallResponse
	RouteCallCancel       = Prefix + "/calls/{id}/cancel"                  // POST → CallResponse
	RouteChats            = Prefix + "/chats"                              // POST ChatRequest → Chat
	RouteChat             = Prefix + "/chats/{id}"                         // GET → Chat
	RouteChatResume       = Prefix + "/chats/{id}/resume"                  // POST → Chat
	RouteChatFinish       = Prefix + "/chats/{id}/finish"                  // POST → Chat
	RouteChatDestroy      = Prefix + "/chats/{id}/destroy"                 // POST → Chat
	RouteMessages         = Prefix + "/chats/{id}/messages"                // GET ?after&before&limit → MessagePage; POST SendMessageRequest → Message
	RouteMessageBatch     = Prefix + "/chats/{id}/messages/batch"          // POST SendMessagesRequest → SendMessagesResponse
	RouteFiles            = Prefix + "/chats/{id}/files"                   // POST multipart file, client_id, caption → FileMessageResponse
	RoutePreview          = Prefix + "/chats/{id}/preview"                 // POST PreviewRequest → {}
	RouteTyping           = Prefix + "/chats/{id}/typing"                  // POST TypingRequest → {}
	RouteDeflection       = Prefix + "/chats/{id}/deflection"              // GET → ChatDeflectionResponse or null
	RouteTranscriptEmail  = Prefix + "/chats/{id}/transcripts"             // POST TranscriptEmailRequest → {}
	RouteTranscriptPDF    = Prefix + "/chats/{id}/transcript_pdf"          // POST → GenerateTranscriptResponse
	RouteTranscript       = Prefix + "/transcripts/{tid}"                  // GET → PDF bytes or PdfStatusResponse; header x-transcript-status
	RouteSurvey           = Prefix + "/chats/{id}/survey"                  // GET → ChatSurveyResponse; POST SurveyRequest → {}
	RouteRating           = Prefix + "/chats/{id}/rating"                  // POST RateRequest → {}
	RouteEscalations      = Prefix + "/chats/{id}/escalations"             // POST EscalateRequest → Escalation
	RouteEscalationTrack  = Prefix + "/chats/{id}/escalations/{eid}/track" // POST TrackEscalationRequest → {}
	RouteEndUserEvents    = Prefix + "/chats/{id}/end_user_events"         // POST ChatEndUserEventRequest → {}
	RoutePostSession      = Prefix + "/chats/{id}/post_session"            // POST PostSessionRequest → Chat
	RouteRealtimeTicket   = Prefix + "/chats/{id}/realtime_ticket"         // POST → RealtimeTicket
	RoutePoll             = Prefix + "/chats/{id}/poll"                    // GET ?after&timeout → PollResponse (long poll)
	RouteRealtime         = Prefix + "/realtime"                           // GET ?ticket&after, WebSocket of Event
	RouteChatHistory      = Prefix + "/chat_history"                       // GET ?page → ChatHistoryResponse
	RouteMedia            = Prefix + "/media/{mid}"                        // GET → file bytes
	RouteEmails           = Prefix + "/emails"                             // POST multipart "data" (EmailRequest JSON) + "files" → EmailResponse
	RouteCobrowseCodes    = Prefix + "/cobrowse/codes"                     // POST CobrowseCodeRequest → CobrowseCodeResponse
	RouteCobrowseSessions = Prefix + "/cobrowse/sessions"                  // POST StartCobrowseRequest → CobrowseSession
)

// HeaderTranscriptStatus carries a transcript's status on RouteTranscript.
const HeaderTranscriptStatus = "x-transcript-status"

// HeaderIdempotencyKey may carry a client id on POSTs that create things.
const HeaderIdempotencyKey = "Idempotency-Key"
