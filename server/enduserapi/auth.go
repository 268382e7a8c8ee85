package enduserapi

import (
	"net/http"
	"strings"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/chat"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/jwtauth"
	"github.com/ccaip/headless-go/server/store"
)

// endUser is the authenticated caller of an end-user route.
type endUser = store.EndUser

// verifyEndUserJWT checks an end-user JWT through jwtauth: HS256 with the
// company secret only, exp required, exp/nbf/iat within a small leeway,
// identifier required.
func (s *API) verifyEndUserJWT(token string) (jwtauth.Claims, error) {
	c, err := jwtauth.VerifyEndUser(token, []byte(s.Company.Secret), jwtauth.Options{Leeway: chat.JWTLeeway, Now: s.Now})
	if err != nil {
		return c, err
	}
	c.Identifier = strings.TrimSpace(c.Identifier)
	if err := chat.CheckIdentifier(c.Identifier); err != nil {
		return c, api.Errorf(api.CodeUnauthorized, "invalid end-user token: %s", err.Message)
	}
	return c, nil
}

// handleToken exchanges an end-user JWT for a session.
func (s *API) handleToken(w http.ResponseWriter, r *http.Request) error {
	var req api.TokenRequest
	if err := httpapi.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.CompanyID == "" || req.Token == "" {
		return api.Errorf(api.CodeBadRequest, "company_id and token are required")
	}
	if req.CompanyID != s.Company.ID || (req.Tenant != "" && req.Tenant != s.Company.Subdomain) {
		return api.Errorf(api.CodeNotFound, "unknown company %q", req.CompanyID)
	}
	c, err := s.verifyEndUserJWT(req.Token)
	if err != nil {
		return err
	}
	var sess api.Session
	err = s.Chat.Write(r.Context(), func(t *chat.Txn) error {
		u, err := t.UpsertEndUser(c.Identifier, c.Name, c.Email, c.Phone)
		if err != nil {
			return err
		}
		sess, err = t.NewSession(u)
		return err
	})
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, sess)
	return nil
}

// authenticate resolves the Bearer session token of r.
func (s *API) authenticate(r *http.Request) (*endUser, error) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return nil, api.Errorf(api.CodeUnauthorized, "missing Bearer session token")
	}
	return s.Chat.Session(r.Context(), strings.TrimSpace(tok))
}

// user adapts an end-user route: the session is checked first, then the
// end user's rate.
func (s *API) user(h func(w http.ResponseWriter, r *http.Request, u *endUser) error) httpapi.Guarded {
	return func(rt httpapi.Route) http.HandlerFunc {
		httpapi.MustRate(rt, httpapi.RateEndUser)
		return s.Handle(func(w http.ResponseWriter, r *http.Request) error {
			u, err := s.authenticate(r)
			if err != nil {
				return err
			}
			if err := s.Take(w, r, rt.Rate, u.ID); err != nil {
				return err
			}
			return h(w, r, u)
		})
	}
}
