package server

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/httpapi"
)

// tables builds the route tables of a Server that is never started: only
// the methods, patterns and deadlines are read.
func tables() (endUser, rest, agent []httpapi.Route) {
	s := &Server{Platform: &httpapi.Platform{Company: DefaultCompany()}}
	s.newAPIs()
	return s.tables()
}

// TestEndUserRoutesDocumented: every route of the end-user API is in
// docs/enduser-api.md, as `METHOD /path` relative to api.Prefix (or in
// full).
func TestEndUserRoutesDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/enduser-api.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	endUser, _, _ := tables()
	for _, r := range endUser {
		rel := strings.TrimPrefix(r.Pattern, api.Prefix)
		if !strings.Contains(doc, "`"+r.Method+" "+rel) && !strings.Contains(doc, "`"+r.Method+" "+r.Pattern) {
			t.Errorf("docs/enduser-api.md does not document %s %s", r.Method, r.Pattern)
		}
	}
}

// TestBridgeRoutesAreEndUserRoutes: the bridge's allow-list is exactly the
// end-user API but the three routes that hand out tokens or need a
// WebSocket.
func TestBridgeRoutesAreEndUserRoutes(t *testing.T) {
	endUser, _, _ := tables()
	want := map[api.Route]bool{}
	for _, r := range endUser {
		switch r.Pattern {
		case api.RouteToken, api.RouteTakeover, api.RouteRealtime:
			continue
		}
		want[api.Route{Method: r.Method, Pattern: r.Pattern}] = true
	}
	got := map[api.Route]bool{}
	for _, r := range api.BridgeRoutes {
		got[r] = true
		if !want[r] {
			t.Errorf("api.BridgeRoutes has %s %s, which is not a forwardable end-user route", r.Method, r.Pattern)
		}
	}
	for r := range want {
		if !got[r] {
			t.Errorf("api.BridgeRoutes lacks the end-user route %s %s: the bridge would refuse it", r.Method, r.Pattern)
		}
	}
}

// TestLongRoutesDocumented: a route with a longer deadline is named in the
// Limits table's "long routes" row, with its deadline.
func TestLongRoutesDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/enduser-api.md")
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "| long routes |") {
			row = l
		}
	}
	if row == "" {
		t.Fatal("no long routes row in docs/enduser-api.md")
	}
	endUser, rest, agent := tables()
	seen := map[time.Duration]bool{}
	for _, r := range endUser {
		if r.Long == 0 {
			continue
		}
		seen[r.Long] = true
		if rel := strings.TrimPrefix(r.Pattern, api.Prefix); !strings.Contains(row, rel+"`") {
			t.Errorf("the long routes row does not name %s %s", r.Method, r.Pattern)
		}
	}
	for _, r := range append(rest, agent...) {
		if r.Long != 0 {
			seen[r.Long] = true
		}
	}
	for d := range seen {
		if !strings.Contains(row, durationWords(d)) {
			t.Errorf("the long routes row does not give the deadline %v", d)
		}
	}
}

// durationWords is d as the docs write it: "45 s", "10 min".
func durationWords(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	return fmt.Sprintf("%d s", int(d.Seconds()))
}

// TestRouteLimitsDeclared: every row of every table states its body and
// rate class (mount refuses a row that does not), a route that reads no
// body accepts none, and the docs state every class the tables use.
func TestRouteLimitsDeclared(t *testing.T) {
	docs := map[string]string{}
	for _, name := range []string{"enduser-api.md", "rest-api.md", "agent-api.md"} {
		b, err := os.ReadFile("../docs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = string(b)
	}
	bodyDoc := map[httpapi.BodyClass][2]string{
		httpapi.BodyJSON:   {"enduser-api.md", fmt.Sprintf("| JSON bodies | %d MiB |", httpapi.MaxJSONBody>>20)},
		httpapi.BodyFile:   {"enduser-api.md", "| files | the company's `max_file_size`"},
		httpapi.BodyEmail:  {"enduser-api.md", "| files | the company's `max_file_size`"},
		httpapi.BodyUpload: {"rest-api.md", "videos `video/mp4` ≤ 20 MB"},
	}
	rateDoc := map[httpapi.RateClass][2]string{
		httpapi.RateEndUser:     {"enduser-api.md", "(`Rates.EndUser`)"},
		httpapi.RateToken:       {"enduser-api.md", "(`Rates.Token`)"},
		httpapi.RateREST:        {"rest-api.md", "10 requests per second per company"},
		httpapi.RateAgentSignIn: {"agent-api.md", "shares the REST API's per-company rate"},
	}
	endUser, rest, agent := tables()
	for _, r := range append(append(endUser, rest...), agent...) {
		if r.Body == httpapi.BodyUnset || r.Rate == httpapi.RateUnset {
			t.Errorf("%s %s states no body or rate class", r.Method, r.Pattern)
			continue
		}
		if reads := r.Method != "GET" && r.Method != "DELETE"; reads == (r.Body == httpapi.BodyNone) {
			t.Errorf("%s %s has body class %d", r.Method, r.Pattern, r.Body)
		}
		if d, ok := bodyDoc[r.Body]; ok && !strings.Contains(docs[d[0]], d[1]) {
			t.Errorf("docs/%s does not state the body limit of %s %s (%q)", d[0], r.Method, r.Pattern, d[1])
		}
		if d, ok := rateDoc[r.Rate]; ok && !strings.Contains(docs[d[0]], d[1]) {
			t.Errorf("docs/%s does not state the rate of %s %s (%q)", d[0], r.Method, r.Pattern, d[1])
		}
	}
}
