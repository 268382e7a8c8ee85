// Package httpapi is what the platform's three HTTP APIs (enduserapi,
// restapi, agentapi) share: the route-table row and its limit classes,
// mounting with those limits, the JSON and error answers, path and query
// values, the adapters every API uses (open routes, Basic credentials) and
// the serving and storing of files. It holds no chat rules: those are
// server/chat's.
package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ccaip/headless-go/server/realtime"
)

// Route is one route of one of the platform's HTTP APIs. Each API keeps
// its routes in one table (its Routes), and each row states the route's
// limits: its deadline, the most its body may carry and the rate it draws
// from. Mount applies them, the handlers read the same classes (ReadJSON,
// ParseMultipart) and the tests read the tables (every route has its
// limits, every end-user route and every limit is documented; the
// bridge's allow-list, api.BridgeRoutes, is a part of it). A route added
// anywhere else has none of that.
type Route struct {
	Method, Pattern string
	H               Guarded
	// Long lifts the request's read and write deadlines to this, for
	// routes that may outlast the connection's timeouts: long polls wait
	// for events, uploads and downloads move files. 0: the connection's
	// timeouts.
	Long time.Duration
	Body BodyClass // the most the request's body may carry
	Rate RateClass // the limiter the route draws from
}

// Guarded is a route's handler before mounting: its adapter (user, rest,
// agent, Open, Plain) authenticates, then takes a token of the row's rate
// class (Mount hands it the row), then calls the handler.
type Guarded func(rt Route) http.HandlerFunc

// BodyClass is how large a route's request body may be; Mount bounds the
// body with it (past it: 413 payload_too_large) and the handlers read the
// same limit.
type BodyClass int

const (
	BodyUnset  BodyClass = iota // a row that forgot: Mount refuses it
	BodyNone                    // GET, DELETE: no body is read
	BodyJSON                    // a JSON body: MaxJSONBody
	BodyFile                    // one file in a multipart form: the company's max file size
	BodyEmail                   // an email: JSON, or a form with up to chat.MaxEmailFiles files
	BodyUpload                  // a presigned media upload: the largest media kind (media.MaxUploadBody)
)

// RateClass is the limiter a route draws a token from (server.Config's
// Rates and RESTRate); past it: 429 rate_limited with Retry-After.
type RateClass int

const (
	RateUnset       RateClass = iota // a row that forgot: Mount refuses it
	RateNone                         // none: a one-use ticket, a signed URL or an agent session authorises it
	RateEndUser                      // per end user, after the session check (Rates.EndUser)
	RateToken                        // per client address, before anything (Rates.Token)
	RateREST                         // per company, after Basic auth (Config.RESTRate)
	RateAgentSignIn                  // the REST rate, in a bucket of its own, before Basic auth
)

// MustRate panics at mount when an adapter is given a rate class it cannot
// key (an end user's rate on a route without a session): a wrong row
// fails server.New, and with it every test.
func MustRate(rt Route, allowed ...RateClass) {
	for _, a := range allowed {
		if rt.Rate == a {
			return
		}
	}
	panic(fmt.Sprintf("server: route %s %s: rate class %d does not fit its adapter", rt.Method, rt.Pattern, rt.Rate))
}

// Deadlines of the long routes. The realtime WebSocket needs none: a
// hijacked connection has no deadlines, and the realtime loop pings it.
const (
	PollDeadline     = realtime.MaxPollTimeout*time.Second + 15*time.Second
	TransferDeadline = 10 * time.Minute
)

// Mount registers the routes of an API's table on mux, each with its
// limits; maxBody is the limit of each body class.
func Mount(mux *http.ServeMux, table []Route, maxBody func(BodyClass) int64) {
	for _, r := range table {
		if r.Body == BodyUnset || r.Rate == RateUnset {
			panic(fmt.Sprintf("server: route %s %s has no body or rate class", r.Method, r.Pattern))
		}
		mux.HandleFunc(r.Method+" "+r.Pattern, withDeadline(r.Long, withBody(maxBody(r.Body), r.H(r))))
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
