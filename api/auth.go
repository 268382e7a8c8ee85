package api

// TokenRequest exchanges the end-user JWT that authenticate() returned for a
// session. The JWT is HS256, signed with the company secret, and carries
// iss, iat, exp and identifier (required), and optionally name, email, phone.
//
//easyjson:json
type TokenRequest struct {
	CompanyID string `json:"company_id"`
	Tenant    string `json:"tenant,omitempty"`
	Token     string `json:"token"`
}

// EndUser is the authenticated end user.
//
//easyjson:json
type EndUser struct {
	ID         int64  `json:"id"`
	Identifier string `json:"identifier"`
	Name       string `json:"name,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// Session is a short-lived end-user session. SessionToken goes in the
// Authorization header as "Bearer <token>"; in the browser it never leaves
// the communication iframe's origin.
//
//easyjson:json
type Session struct {
	SessionToken string  `json:"session_token,omitempty"`
	ExpiresAt    string  `json:"expires_at"`
	EndUser      EndUser `json:"end_user"`
}

// TakeoverRequest steps an anonymous end user up to an authenticated one: the
// new JWT names the identity that takes the current chat over.
//
//easyjson:json
type TakeoverRequest struct {
	Token string `json:"token"`
}

// RealtimeTicket is a single-use, short-lived ticket that authorises one
// realtime connection to one chat. URL is the WebSocket URL to dial, ticket
// included; the session token never appears in a URL.
//
//easyjson:json
type RealtimeTicket struct {
	Ticket    string `json:"ticket"`
	URL       string `json:"url"`
	ExpiresAt string `json:"expires_at"`
}
