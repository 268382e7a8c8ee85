package api

// Chat statuses. This is the one place they are defined; docs/enduser-api.md
// describes the transitions.
//
//	va_assigned  a virtual agent is handling the chat
//	queued       waiting for a human agent (after escalation, or on a menu without a virtual agent)
//	assigned     a human agent is handling the chat
//	va_dismissed the end user went idle while with the virtual agent; resumable
//	dismissed    the end user went idle while with or waiting for a human; resumable
//	deflected    the chat ended by deflection to another channel (email, external link)
//	timeout      the chat ran past its time limit; final
//	finished     ended by the end user, an agent or the API; final
//	destroyed    removed by the end user (destroyChat); final
const (
	StatusVAAssigned  = "va_assigned"
	StatusQueued      = "queued"
	StatusAssigned    = "assigned"
	StatusVADismissed = "va_dismissed"
	StatusDismissed   = "dismissed"
	StatusDeflected   = "deflected"
	StatusTimeout     = "timeout"
	StatusFinished    = "finished"
	StatusDestroyed   = "destroyed"
)

// IsOngoing reports whether a chat in status s can still exchange messages.
func IsOngoing(s string) bool {
	switch s {
	case StatusVAAssigned, StatusQueued, StatusAssigned:
		return true
	}
	return false
}

// IsResumable reports whether resumeChat may bring a chat in status s back.
func IsResumable(s string) bool { return s == StatusVADismissed || s == StatusDismissed }

// CustomDataField is one unsigned custom data entry.
//
//easyjson:json
type CustomDataField struct {
	Label string `json:"label,omitempty"`
	Value Raw    `json:"value"`
}

// CustomData is the documented custom data: a JWT signed with the company
// secret whose payload holds custom_data, and/or unsigned fields.
//
//easyjson:json
type CustomData struct {
	Signed   string                     `json:"signed,omitempty"`
	Unsigned map[string]CustomDataField `json:"unsigned,omitempty"`
}

// ChatRequest is createChat's data. MenuID is filled from the first argument
// of the current call form, or taken from the data in the older one.
//
//easyjson:json
type ChatRequest struct {
	MenuID      int64       `json:"menu_id"`
	Lang        string      `json:"lang,omitempty"`
	TriggerID   string      `json:"trigger_id,omitempty"`
	TicketID    string      `json:"ticket_id,omitempty"`
	Email       string      `json:"email,omitempty"`
	Greeting    string      `json:"greeting,omitempty"`
	Cobrowsable bool        `json:"cobrowsable,omitempty"`
	CustomData  *CustomData `json:"custom_data,omitempty"`
}

// Agent is a human agent as shown on a chat.
//
//easyjson:json
type Agent struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	FirstName string `json:"first_name,omitempty"`
	AvatarURL string `json:"avatar_url,omitempty"`
	Status    string `json:"status,omitempty"`
}

// VirtualAgent is a virtual agent as shown on a chat.
//
//easyjson:json
type VirtualAgent struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	AvatarURL string `json:"avatar_url,omitempty"`
	Status    string `json:"status,omitempty"`
}

// MenuRef names a menu.
//
//easyjson:json
type MenuRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// EndUserRef names the end user of a chat.
//
//easyjson:json
type EndUserRef struct {
	ID         int64  `json:"id"`
	Identifier string `json:"identifier"`
}

// Chat is the chat object of the Chat platform REST API (002), extended with
// the fields the headless client needs. Both APIs return it.
//
//easyjson:json
type Chat struct {
	ID                        int64          `json:"id"`
	Status                    string         `json:"status"`
	StatusText                string         `json:"status_text"`
	Features                  []string       `json:"features"`
	CreatedAt                 string         `json:"created_at"`
	EndsAt                    string         `json:"ends_at,omitempty"`
	TimeoutAt                 string         `json:"timeout_at,omitempty"`
	Agent                     *Agent         `json:"agent"`
	VirtualAgent              *VirtualAgent  `json:"virtual_agent"`
	AllAgents                 []Agent        `json:"all_agents"`
	AllVirtualAgents          []VirtualAgent `json:"all_virtual_agents"`
	Lang                      string         `json:"lang"`
	Menus                     []MenuRef      `json:"menus"`
	EndUser                   EndUserRef     `json:"end_user"`
	MenuID                    int64          `json:"menu_id"`
	LastIndex                 int64          `json:"last_index"`
	QueuePosition             int            `json:"queue_position,omitempty"`
	EscalationID              int64          `json:"escalation_id,omitempty"`
	DeflectionChannel         string         `json:"deflection_channel,omitempty"`
	FinishedAt                string         `json:"finished_at,omitempty"`
	PostSessionRequired       bool           `json:"post_session_required"`
	PostSessionOptInRequired  bool           `json:"post_session_opt_in_required"`
	PostSessionTransferStatus string         `json:"post_session_transfer_status,omitempty"`
	Rated                     bool           `json:"rated"`
	SurveyAnswered            bool           `json:"survey_answered"`
}

// ChatDeflectionLinks names external deflection links.
//
//easyjson:json
type ChatDeflectionLinks struct {
	Enabled bool    `json:"enabled"`
	IDs     []int64 `json:"ids"`
}

// ChatDeflectionResponse is the result of getChatDeflection.
//
//easyjson:json
type ChatDeflectionResponse struct {
	Enabled                 bool                `json:"enabled"`
	Threshold               int                 `json:"threshold"`
	Email                   bool                `json:"email"`
	KeepWaiting             bool                `json:"keep_waiting"`
	ExternalDeflectionLinks ChatDeflectionLinks `json:"external_deflection_links"`
}

// EscalateRequest is escalateChat's data.
//
//easyjson:json
type EscalateRequest struct {
	Reason        string `json:"reason,omitempty"`
	ForceEscalate bool   `json:"force_escalate,omitempty"`
}

// Escalation is the result of an escalation, as in the REST API.
//
//easyjson:json
type Escalation struct {
	ID                int64  `json:"id"`
	ChatID            int64  `json:"chat_id"`
	Status            string `json:"status"`
	DeflectionChannel string `json:"deflection_channel,omitempty"`
}

// TrackEscalationRequest is trackChatEscalation's wire form.
//
//easyjson:json
type TrackEscalationRequest struct {
	Channel string `json:"channel"`
}

// ChatEndUserEventRequest is trackChatEndUserEvent's data; fields beyond
// end_user_name are kept as they are.
//
//easyjson:json
type ChatEndUserEventRequest struct {
	EndUserName string `json:"end_user_name,omitempty"`
	Event       string `json:"event,omitempty"`
	Data        Raw    `json:"data,omitempty"`
}

// PostSessionStatus is the documented post-session enum.
type PostSessionStatus = string

// Post-session statuses.
const (
	PostSessionReady      PostSessionStatus = "ready"
	PostSessionInProgress PostSessionStatus = "in_progress"
	PostSessionWaiting    PostSessionStatus = "waiting"
	PostSessionFinished   PostSessionStatus = "finished"
)

// PostSessionRequest is updatePostSession's wire form.
//
//easyjson:json
type PostSessionRequest struct {
	Status PostSessionStatus `json:"status"`
}

// TranscriptEmailRequest is sendChatTranscripts' wire form.
//
//easyjson:json
type TranscriptEmailRequest struct {
	Emails []string `json:"emails"`
}

// GenerateTranscriptResponse is the result of downloadChatTranscript.
//
//easyjson:json
type GenerateTranscriptResponse struct {
	Status           string `json:"status"`
	ChatTranscriptID int64  `json:"chat_transcript_id"`
}

// Transcript PDF statuses, also sent in the x-transcript-status header.
const (
	TranscriptPending = "pending"
	TranscriptReady   = "ready"
	TranscriptFailed  = "failed"
)

// PdfStatusResponse is the JSON body of a transcript that is not ready.
//
//easyjson:json
type PdfStatusResponse struct {
	Status       string `json:"status"`
	FailedReason string `json:"failed_reason,omitempty"`
}

// ValidAnswer is one allowed answer to a survey question.
//
//easyjson:json
type ValidAnswer struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Survey question types.
const (
	QuestionCSAT        = "csat"
	QuestionStar        = "star"
	QuestionFreeForm    = "free-form"
	QuestionScale       = "scale"
	QuestionEnumeration = "enumeration"
)

// QuestionItem is one survey question.
//
//easyjson:json
type QuestionItem struct {
	ID           int64         `json:"id"`
	Type         string        `json:"type"`
	DisplayText  string        `json:"display_text"`
	Name         string        `json:"name,omitempty"`
	IsCSAT       bool          `json:"is_csat,omitempty"`
	Position     int           `json:"position,omitempty"`
	ValidAnswers []ValidAnswer `json:"valid_answers,omitempty"`
}

// ChatSurveyResponse is the result of getChatSurvey.
//
//easyjson:json
type ChatSurveyResponse struct {
	ID                 int64          `json:"id,omitempty"`
	Lang               string         `json:"lang,omitempty"`
	SignOffDisplayText string         `json:"sign_off_display_text"`
	Questions          []QuestionItem `json:"questions"`
}

// SurveyAnswers maps question ids to answers (numbers or strings, kept raw).
//
//easyjson:json
type SurveyAnswers map[string]Raw

// SurveyRequest is sendChatSurvey's wire form.
//
//easyjson:json
type SurveyRequest struct {
	Answers SurveyAnswers `json:"answers"`
}

// RateRequest is sendChatRate's data.
//
//easyjson:json
type RateRequest struct {
	Rating   int    `json:"rating"`
	Feedback string `json:"feedback,omitempty"`
}

// ChatHistoryItem is one past chat of the end user.
//
//easyjson:json
type ChatHistoryItem struct {
	CommID     int64     `json:"comm_id"`
	AssignedAt string    `json:"assigned_at"`
	CommType   string    `json:"comm_type"`
	Timezone   string    `json:"timezone"`
	Entries    []Message `json:"entries"`
}

// Pagination says where the next page is; NextPage is 0 on the last page.
//
//easyjson:json
type Pagination struct {
	NextPage int `json:"next_page"`
	PerPage  int `json:"per_page"`
}

// ChatHistoryResponse is the result of getChatHistory.
//
//easyjson:json
type ChatHistoryResponse struct {
	Chats          []ChatHistoryItem `json:"chats"`
	MissingChatIDs []int64           `json:"missing_chat_ids"`
	Pagination     Pagination        `json:"pagination"`
}
