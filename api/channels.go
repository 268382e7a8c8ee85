package api

// CallRequest is createCall's data. MenuID is filled from the first argument
// of the current call form, or taken from the data in the older one.
//
//easyjson:json
type CallRequest struct {
	MenuID              int64               `json:"menu_id"`
	PhoneNumber         string              `json:"phone_number"`
	Lang                string              `json:"lang,omitempty"`
	ScheduledAt         string              `json:"scheduled_at,omitempty"`
	TicketID            string              `json:"ticket_id,omitempty"`
	Email               string              `json:"email,omitempty"`
	RecordingPermission RecordingPermission `json:"recording_permission,omitempty"`
	CustomData          *CustomData         `json:"custom_data,omitempty"`
}

// Call statuses.
const (
	CallQueued     = "queued"
	CallScheduled  = "scheduled"
	CallConnecting = "connecting"
	CallConnected  = "connected"
	CallFinished   = "finished"
	CallCancelled  = "cancelled"
	CallFailed     = "failed"
)

// Call types.
const (
	CallTypeInstant   = "instant"
	CallTypeScheduled = "scheduled"
)

// CallResponse is the documented call object.
//
//easyjson:json
type CallResponse struct {
	ID                 int64     `json:"id"`
	Lang               string    `json:"lang"`
	MenuID             int64     `json:"menu_id"`
	Status             string    `json:"status"`
	Type               string    `json:"type"`
	ScheduledAt        string    `json:"scheduled_at,omitempty"`
	RecordingPermitted bool      `json:"recording_permitted"`
	SurveyEnabled      bool      `json:"survey_enabled"`
	CreatedAt          string    `json:"created_at"`
	Menus              []MenuRef `json:"menus"`
	PhoneNumber        string    `json:"phone_number,omitempty"`
}

// EmailRequest is createEmail's data without the files, which travel as
// multipart parts named "files".
//
//easyjson:json
type EmailRequest struct {
	MenuID    int64  `json:"menu_id"`
	Name      string `json:"name,omitempty"`
	Email     string `json:"email"`
	Content   string `json:"content"`
	Lang      string `json:"lang,omitempty"`
	Recaptcha string `json:"recaptcha,omitempty"`
}

// EmailResponse is the documented email object.
//
//easyjson:json
type EmailResponse struct {
	ID              int64  `json:"id"`
	Type            string `json:"type"`
	Status          string `json:"status"`
	FailReason      string `json:"fail_reason"`
	AttachmentCount int    `json:"attachment_count"`
}

// CobrowseCodeRequest is createCobrowseCode's wire form.
//
//easyjson:json
type CobrowseCodeRequest struct {
	Lang       string            `json:"lang,omitempty"`
	CustomData map[string]string `json:"custom_data,omitempty"`
	ChatID     int64             `json:"chat_id,omitempty"`
}

// CobrowseCodeResponse carries a 6-digit code.
//
//easyjson:json
type CobrowseCodeResponse struct {
	Code      string `json:"code"`
	ExpiresAt string `json:"expires_at"`
}

// Cobrowse session statuses.
const (
	CobrowsePending = "pending"
	CobrowseActive  = "active"
	CobrowseEnded   = "ended"
)

// CobrowseSession is a screen-share session.
//
//easyjson:json
type CobrowseSession struct {
	ID        int64  `json:"id"`
	Code      string `json:"code"`
	Status    string `json:"status"`
	ChatID    int64  `json:"chat_id,omitempty"`
	From      string `json:"from,omitempty"`
	StartedAt string `json:"started_at,omitempty"`
	EndedAt   string `json:"ended_at,omitempty"`
}

// StartCobrowseRequest is startCobrowse's wire form.
//
//easyjson:json
type StartCobrowseRequest struct {
	From   string `json:"from,omitempty"`
	ChatID int64  `json:"chat_id,omitempty"`
}
