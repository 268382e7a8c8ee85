package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ccaip/headless-go/api"
)

// TestBridgeRoutesServed checks that every route of the bridge's allow-list
// (api.BridgeRoutes, which js/bridge-routes.js is generated from) is a
// route of the platform, with that method: a table entry the server does
// not serve would make the bridge refuse nothing and the client fail.
func TestBridgeRoutesServed(t *testing.T) {
	t.Parallel()
	p := newPlatform(t)
	u := p.login("bridge-routes")
	seen := map[api.Route]bool{}
	for _, r := range api.BridgeRoutes {
		if seen[r] {
			t.Errorf("%s %s listed twice", r.Method, r.Pattern)
		}
		seen[r] = true
		if r.Pattern == api.RouteToken || r.Pattern == api.RouteTakeover || r.Pattern == api.RouteRealtime {
			t.Errorf("%s %s hands out a token or needs a WebSocket: the bridge must not forward it", r.Method, r.Pattern)
		}
		p := r.Pattern
		for strings.Contains(p, "{") {
			p = path(p, 999999)
		}
		res := u.do(r.Method, p, nil)
		var e api.ErrorResponse
		json.Unmarshal(res.body, &e)
		if strings.HasPrefix(e.Error.Message, "no route") || res.status == 405 {
			t.Errorf("%s %s: not served (%d %s)", r.Method, p, res.status, res.body)
		}
	}
}
