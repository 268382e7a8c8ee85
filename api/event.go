package api

// Realtime event types. A realtime connection (WebSocket or long poll) for a
// chat first sends EventHello with the chat's current state, then every
// message with $index greater than the requested "after" in order, then live
// events. Only message events carry an index; the others are ephemeral.
// A WebSocket opened with batch=1 may carry consecutive messages in one
// EventMessages frame (Messages, in order) instead of one EventMessage
// frame each.
const (
	EventHello        = "hello"
	EventMessage      = "message"
	EventMessages     = "messages"
	EventChat         = "chat"
	EventMemberJoined = "member.joined"
	EventMemberLeft   = "member.left"
	EventTypingStart  = "typing.started"
	EventTypingEnd    = "typing.ended"
	EventQueue        = "queue"
	EventCobrowse     = "cobrowse"
	EventPing         = "ping"
	EventError        = "error"
)

// Identity names a chat member in member and typing events.
//
//easyjson:json
type Identity struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	UserType  string `json:"type"`
	AvatarURL string `json:"avatar_url,omitempty"`
}

// Event is one frame of the realtime channel.
//
//easyjson:json
type Event struct {
	Type     string           `json:"type"`
	ChatID   int64            `json:"chat_id"`
	Message  *Message         `json:"message,omitempty"`
	Messages []Message        `json:"messages,omitempty"`
	Chat     *Chat            `json:"chat,omitempty"`
	Identity *Identity        `json:"identity,omitempty"`
	Position int              `json:"position,omitempty"`
	Cobrowse *CobrowseSession `json:"cobrowse,omitempty"`
	Error    *ErrorBody       `json:"error,omitempty"`
}

// PollResponse is the long-polling form of the realtime channel: the same
// events a WebSocket would have carried since "after", or none on timeout.
//
//easyjson:json
type PollResponse struct {
	Events    []Event `json:"events"`
	LastIndex int64   `json:"last_index"`
}
