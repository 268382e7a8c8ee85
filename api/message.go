package api

// Message author types ($userType).
const (
	UserEndUser      = "end_user"
	UserAgent        = "agent"
	UserVirtualAgent = "virtual_agent"
	UserSystem       = "system"
)

// Message types.
const (
	MsgText          = "text"
	MsgNoti          = "noti"
	MsgContentCard   = "content_card"
	MsgInlineButton  = "inline_button"
	MsgForm          = "form"
	MsgPhoto         = "photo"
	MsgVideo         = "video"
	MsgFile          = "file"
	MsgStructured    = "structured"
	MsgMarkdown      = "markdown"
	MsgServerMessage = "server_message"
)

// Events of noti messages.
const (
	NotiEscalationStarted   = "escalationStarted"
	NotiEscalationAccepted  = "escalationAccepted"
	NotiEscalationDeflected = "escalationDeflected"
	NotiMemberJoined        = "memberJoined"
	NotiMemberLeft          = "memberLeft"
	NotiChatEnded           = "chatEnded"
	NotiChatDismissed       = "chatDismissed"
	NotiChatResumed         = "chatResumed"
	NotiChatTimeout         = "chatTimeout"
	NotiFormRequested       = "formRequested"
	NotiFormCompleted       = "formCompleted"
	NotiTransferred         = "transferred"
	NotiBackToQueue         = "backToQueue"
	NotiEndUserStepUp       = "endUserStepUp"
)

// Length limits of message content, in characters (Unicode code points).
const (
	MaxTextLength       = 8000
	MaxStructuredLength = 15000
)

// MessageButton is an inline button or quick reply.
//
//easyjson:json
type MessageButton struct {
	Title   string `json:"title"`
	Payload string `json:"payload,omitempty"`
	URL     string `json:"url,omitempty"`
}

// MessageDocument links a document.
//
//easyjson:json
type MessageDocument struct {
	URL string `json:"url"`
}

// MessageGroup carries grouped text messages.
//
//easyjson:json
type MessageGroup struct {
	Messages []string `json:"messages"`
	Type     string   `json:"type"`
}

// MessageForm is a form an agent asks the end user to fill.
//
//easyjson:json
type MessageForm struct {
	ID             int64  `json:"id"`
	FormType       string `json:"form_type"`
	Name           string `json:"name"`
	Title          string `json:"title"`
	Subtitle       string `json:"subtitle"`
	ExternalFormID string `json:"external_form_id"`
	SmartActionID  int64  `json:"smart_action_id"`
	Image          string `json:"image"`
}

// ContentCard is a card with a title, text, image and buttons.
//
//easyjson:json
type ContentCard struct {
	Title    string          `json:"title"`
	Subtitle string          `json:"subtitle,omitempty"`
	Body     string          `json:"body,omitempty"`
	ImageURL string          `json:"image_url,omitempty"`
	Link     string          `json:"link,omitempty"`
	Buttons  []MessageButton `json:"buttons,omitempty"`
}

// CardItem is a content card as apps written for the vendor SDK read it
// (message.cards[]): Card's fields, with the image as images[0].
//
//easyjson:json
type CardItem struct {
	Title    string          `json:"title"`
	Subtitle string          `json:"subtitle,omitempty"`
	Body     string          `json:"body,omitempty"`
	Images   []string        `json:"images,omitempty"`
	Link     string          `json:"link,omitempty"`
	Buttons  []MessageButton `json:"buttons,omitempty"`
}

// MessageIdentity is who wrote a message, as apps written for the vendor
// SDK read it (message.identity).
//
//easyjson:json
type MessageIdentity struct {
	DisplayName string `json:"display_name"`
	IsCustomer  bool   `json:"is_customer"`
}

// FileInfo describes an attached file. The browser client turns it into the
// documented File through getMessageAttachment.
//
//easyjson:json
type FileInfo struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	URL         string `json:"url,omitempty"`
	Caption     string `json:"caption,omitempty"`
}

// Message is the documented MessageResponse. Every message of a chat has a
// strictly increasing $index, starting at 1; $sid is unique per message.
// ClientID echoes the idempotency key the sender chose, so an outbox can
// match its own messages.
//
//easyjson:json
type Message struct {
	Index          int64            `json:"$index"`
	SID            string           `json:"$sid"`
	Timestamp      string           `json:"$timestamp"`
	UserType       string           `json:"$userType"`
	UserID         int64            `json:"$userId"`
	Type           string           `json:"type"`
	Content        string           `json:"content,omitempty"`
	Event          string           `json:"event,omitempty"`
	MediaID        int64            `json:"media_id,omitempty"`
	GroupMessageID int64            `json:"groupMessageId,omitempty"`
	Document       *MessageDocument `json:"document,omitempty"`
	Unredacted     string           `json:"unredacted,omitempty"`
	Buttons        []MessageButton  `json:"buttons,omitempty"`
	Message        *MessageGroup    `json:"message,omitempty"`
	Signature      string           `json:"signature"`
	Form           *MessageForm     `json:"form,omitempty"`
	Card           *ContentCard     `json:"card,omitempty"`
	// Cards and Identity repeat Card and the author in the form apps
	// written for the vendor SDK read; the client fills them (sdk).
	Cards        []CardItem       `json:"cards,omitempty"`
	Identity     *MessageIdentity `json:"identity,omitempty"`
	File         *FileInfo        `json:"file_info,omitempty"`
	ClientID     string           `json:"client_id,omitempty"`
	Metadata     Raw              `json:"metadata,omitempty"`
	QuickReplies []MessageButton  `json:"quick_replies,omitempty"`
	Structured   Raw              `json:"structured,omitempty"`
	UserName     string           `json:"user_name,omitempty"`
}

// SendMessageRequest is the end user's message. ClientID is an idempotency
// key: a retry with the same key returns the first message instead of
// creating a second.
//
//easyjson:json
type SendMessageRequest struct {
	ClientID     string          `json:"client_id"`
	Type         string          `json:"type"`
	Content      string          `json:"content,omitempty"`
	Metadata     Raw             `json:"metadata,omitempty"`
	QuickReplies []MessageButton `json:"quick_replies,omitempty"`
	Structured   Raw             `json:"structured,omitempty"`
	// Payload answers an inline button or quick reply, or submits a form.
	Payload string `json:"payload,omitempty"`
	FormID  int64  `json:"form_id,omitempty"`
	// Event is the notification of a noti message; the one an end user
	// sends is formCompleted (a form filled outside the chat).
	Event string `json:"event,omitempty"`
}

// SendMessagesRequest is the body of POST RouteMessageBatch: up to
// MaxBatchMessages messages the platform stores in this order, in one
// transaction, each as POST RouteMessages would (its client_id still makes
// it idempotent). The outbox sends the messages queued behind one in flight
// this way, so that a burst costs one round trip, not one each. The SDK
// encodes it by hand (sdk/outbox.go): generated methods would add their
// code to the wasm build.
type SendMessagesRequest struct {
	Messages []SendMessageRequest `json:"messages"`
}

// MaxBatchMessages is the most messages one SendMessagesRequest carries.
const MaxBatchMessages = 100

// SendMessagesResponse answers a SendMessagesRequest: Results[i] is the
// fate of Messages[i].
type SendMessagesResponse struct {
	Results []SendMessageResult `json:"results"`
}

// SendMessageResult is one message's fate in a batch: the stored message,
// or the error POST RouteMessages would have answered for it alone (and
// its HTTP status). A rejected message does not stop the ones after it.
type SendMessageResult struct {
	Message *Message   `json:"message,omitempty"`
	Error   *ErrorBody `json:"error,omitempty"`
	Status  int        `json:"status,omitempty"`
}

// MessagePage is a page of a chat's messages in $index order. LastIndex is
// the chat's newest index, so a caller can tell whether more exist.
//
//easyjson:json
type MessagePage struct {
	Messages  []Message `json:"messages"`
	LastIndex int64     `json:"last_index"`
}

// PreviewRequest carries sendPreviewMessage's content (the text being typed).
//
//easyjson:json
type PreviewRequest struct {
	Content string `json:"content"`
}

// TypingRequest says the end user started or stopped typing.
//
//easyjson:json
type TypingRequest struct {
	Typing bool `json:"typing"`
}

// FileMessageResponse is the result of sending a file.
//
//easyjson:json
type FileMessageResponse struct {
	MessageID int64   `json:"message_id"`
	MediaID   int64   `json:"media_id"`
	Message   Message `json:"message"`
}
