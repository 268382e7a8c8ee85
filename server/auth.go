package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/jwtauth"
	"github.com/ccaip/headless-go/server/store"
)

// endUser is the authenticated caller of an end-user route.
type endUser = store.EndUser

// verifyEndUserJWT checks an end-user JWT through jwtauth: HS256 with the
// company secret only, exp required, exp/nbf/iat within a small leeway,
// identifier required.
func (s *Server) verifyEndUserJWT(token string) (jwtauth.Claims, error) {
	c, err := jwtauth.VerifyEndUser(token, []byte(s.company.Secret), jwtauth.Options{Leeway: jwtLeeway, Now: s.now})
	if err != nil {
		return c, err
	}
	c.Identifier = strings.TrimSpace(c.Identifier)
	if err := checkIdentifier(c.Identifier); err != nil {
		return c, api.Errorf(api.CodeUnauthorized, "invalid end-user token: %s", err.Message)
	}
	return c, nil
}

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

// handleToken exchanges an end-user JWT for a session.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) error {
	var req api.TokenRequest
	if err := readJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.CompanyID == "" || req.Token == "" {
		return api.Errorf(api.CodeBadRequest, "company_id and token are required")
	}
	if req.CompanyID != s.company.ID || (req.Tenant != "" && req.Tenant != s.company.Subdomain) {
		return api.Errorf(api.CodeNotFound, "unknown company %q", req.CompanyID)
	}
	c, err := s.verifyEndUserJWT(req.Token)
	if err != nil {
		return err
	}
	var sess api.Session
	err = s.write(r.Context(), func(t *txn) error {
		u, err := t.upsertEndUser(c.Identifier, c.Name, c.Email, c.Phone)
		if err != nil {
			return err
		}
		sess, err = t.newSession(u)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sess)
	return nil
}

// upsertEndUser finds or creates the end user (company, identifier) and
// refreshes the profile fields the JWT carries.
func (t *txn) upsertEndUser(identifier, name, email, phone string) (*endUser, error) {
	u, err := t.tx.UpsertEndUser(t.s.company.ID, identifier, name, email, phone, t.s.now().UnixMilli())
	if err != nil {
		return nil, err
	}
	// The profile may have changed: cached sessions would show the old one.
	t.dropUserSessions(u.ID)
	return u, nil
}

func (t *txn) newSession(u *endUser) (api.Session, error) {
	tok := randomToken(32)
	exp := t.s.now().Add(t.s.cfg.SessionTTL)
	// Expired sessions are swept as new ones are made.
	sweep := t.s.now().Add(-24 * time.Hour).UnixMilli()
	if err := t.tx.InsertSession(hashToken(tok), u.ID, exp.UnixMilli(), sweep); err != nil {
		return api.Session{}, err
	}
	return api.Session{SessionToken: tok, ExpiresAt: exp.UTC().Format(timeFormat), EndUser: u.API()}, nil
}

// authenticate resolves the Bearer session token of r.
func (s *Server) authenticate(r *http.Request) (*endUser, error) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return nil, api.Errorf(api.CodeUnauthorized, "missing Bearer session token")
	}
	hash := hashToken(strings.TrimSpace(tok))
	key := string(hash)
	now := s.now()
	e, ok := s.sessions.get(key)
	if ok && e.exp < now.Add(-sessionSweepAfter).UnixMilli() {
		ok = false // the database may have swept it: ask it
	}
	if !ok {
		gen := s.sessions.generation()
		var err error
		e.user, e.exp, err = store.SessionUser(r.Context(), s.db, s.company.ID, hash)
		if errors.Is(err, store.ErrNoRows) {
			return nil, api.Errorf(api.CodeUnauthorized, "unknown session token")
		}
		if err != nil {
			return nil, err
		}
		s.sessions.put(gen, key, e)
	}
	u := &e.user
	if now.UnixMilli() >= e.exp {
		return nil, api.Errorf(api.CodeSessionExpired, "the session expired; authenticate again")
	}
	return u, nil
}

// user adapts an end-user route: the session is checked first, then the
// end user's rate.
func (s *Server) user(h func(w http.ResponseWriter, r *http.Request, u *endUser) error) guarded {
	return func(rt route) http.HandlerFunc {
		mustRate(rt, rateEndUser)
		return s.handle(func(w http.ResponseWriter, r *http.Request) error {
			u, err := s.authenticate(r)
			if err != nil {
				return err
			}
			if err := s.take(w, r, rt.rate, u.ID); err != nil {
				return err
			}
			return h(w, r, u)
		})
	}
}
