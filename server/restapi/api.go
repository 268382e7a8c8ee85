// Package restapi is the Chat platform REST API (docs/rest-api.md) that a
// company's backend calls with its Basic credentials: chats, messages,
// escalations, custom data, customer flags, photos and videos, calls and
// cobrowse sessions. Its handlers decode, call server/chat and encode;
// its routes and their limits are one table (Routes).
package restapi

import (
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/media"
)

// Prefix is where the Chat platform REST API (002) lives.
const Prefix = "/apps/api/v1"

// UploadPath is where presigned photo and video uploads are POSTed. It is
// outside both API prefixes because the signed policy, not a session or
// Basic credentials, authorises the request.
const UploadPath = "/media/upload"

// API is the REST API of one platform.
type API struct {
	*httpapi.Platform
	uploader *media.Uploader // presigned photo/video uploads
}

// New returns the REST API over p; uploader signs and receives its
// presigned uploads.
func New(p *httpapi.Platform, uploader *media.Uploader) *API {
	return &API{Platform: p, uploader: uploader}
}

// rest adapts a REST API route: Basic auth first, then the company's
// rate.
func (s *API) rest(h func(w http.ResponseWriter, r *http.Request) error) httpapi.Guarded {
	return func(rt httpapi.Route) http.HandlerFunc {
		httpapi.MustRate(rt, httpapi.RateREST)
		return s.Handle(func(w http.ResponseWriter, r *http.Request) error {
			if err := s.CheckBasic(w, r); err != nil {
				w.Header().Set("WWW-Authenticate", `Basic realm="apps api"`)
				return err
			}
			if err := s.Take(w, r, rt.Rate, 0); err != nil {
				return err
			}
			return h(w, r)
		})
	}
}

// Routes is the Chat platform REST API (docs/rest-api.md), under Prefix,
// and the presigned media uploads it hands out: the API's route table.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "GET", Pattern: Prefix + "/calls", H: s.rest(s.restListCalls), Body: httpapi.BodyNone, Rate: httpapi.RateREST},
		{Method: "GET", Pattern: Prefix + "/calls/{id}", H: s.rest(s.restGetCall), Body: httpapi.BodyNone, Rate: httpapi.RateREST},
		{Method: "GET", Pattern: Prefix + "/cobrowse/{id}", H: s.rest(s.restGetCobrowse), Body: httpapi.BodyNone, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/cobrowse/{id}/end", H: s.rest(s.restEndCobrowse), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/photos/upload", H: s.rest(s.restPresign(media.KindPhoto)), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/videos/upload", H: s.rest(s.restPresign(media.KindVideo)), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/photos", H: s.rest(s.restAttachPhotos), Long: httpapi.TransferDeadline, Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/videos", H: s.rest(s.restAttachVideo), Long: httpapi.TransferDeadline, Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "GET", Pattern: Prefix + "/chats/{id}/photos", H: s.rest(s.restListMedia(api.MsgPhoto)), Long: httpapi.TransferDeadline, Body: httpapi.BodyNone, Rate: httpapi.RateREST},
		{Method: "GET", Pattern: Prefix + "/chats/{id}/videos", H: s.rest(s.restListMedia(api.MsgVideo)), Long: httpapi.TransferDeadline, Body: httpapi.BodyNone, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/custom_data", H: s.rest(s.restCustomData), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/end-user", H: s.rest(s.restUpdateEndUser), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats", H: s.rest(s.restCreateChat), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "GET", Pattern: Prefix + "/chats/{id}", H: s.rest(s.restGetChat), Body: httpapi.BodyNone, Rate: httpapi.RateREST},
		{Method: "PATCH", Pattern: Prefix + "/chats/{id}", H: s.rest(s.restPatchChat), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/message", H: s.rest(s.restSendMessage), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/escalations", H: s.rest(s.restEscalate), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "PATCH", Pattern: Prefix + "/chats/{id}/escalations/{eid}", H: s.rest(s.restPatchEscalation), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "GET", Pattern: Prefix + "/chats/{id}/customer_flag", H: s.rest(s.restGetFlags), Body: httpapi.BodyNone, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: Prefix + "/chats/{id}/customer_flag", H: s.rest(s.restSetFlags), Body: httpapi.BodyJSON, Rate: httpapi.RateREST},
		{Method: "POST", Pattern: UploadPath, H: httpapi.Plain(s.uploader.ServeHTTP), Long: httpapi.TransferDeadline, Body: httpapi.BodyUpload, Rate: httpapi.RateNone},
	}
}
