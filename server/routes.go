package server

import (
	"net/http"
	"path/filepath"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/agentapi"
	"github.com/ccaip/headless-go/server/enduserapi"
	"github.com/ccaip/headless-go/server/httpapi"
	"github.com/ccaip/headless-go/server/restapi"
)

// newAPIs builds the three HTTP APIs over s.Platform.
func (s *Server) newAPIs() {
	s.endUser = enduserapi.New(s.Platform, enduserapi.Config{
		Hub: s.hub, TicketTTL: s.cfg.TicketTTL, PingInterval: s.cfg.PingInterval,
		Outbox: filepath.Join(s.cfg.DataDir, "outbox"), MailFrom: s.cfg.MailFrom, SMTP: s.cfg.SMTP,
		CheckOrigin: s.checkOrigin,
	})
	s.rest = restapi.New(s.Platform, newUploader(s.Media, s.Company.Secret, s.Now))
	s.agents = agentapi.New(s.Platform)
}

// tables are the route tables of the three HTTP APIs, each the API's own
// (mount serves them, the tests read them).
func (s *Server) tables() (endUser, rest, agent []httpapi.Route) {
	return s.endUser.Routes(), s.rest.Routes(), s.agents.Routes()
}

// checkOrigin allows requests without Origin (non-browser clients, which a
// ticket alone authorises), from the platform's own origin (the bridge
// iframe) and from the company's allowed origins: the realtime
// WebSocket's check (origins.go).
func (s *Server) checkOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" || s.sameOrigin(r, origin) || s.originAllowed(origin) {
		return nil
	}
	return api.Errorf(api.CodeForbidden, "origin %q is not allowed", origin)
}

// mount registers the routes of every API on mux, each with its limits.
func (s *Server) mount(mux *http.ServeMux) {
	endUser, rest, agent := s.tables()
	for _, table := range [][]httpapi.Route{endUser, rest, agent} {
		httpapi.Mount(mux, table, s.MaxBody)
	}
}
