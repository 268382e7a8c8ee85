package server

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ccaip/headless-go/api"
)

// tables builds the route tables of a Server that is never started: only
// the methods, patterns and deadlines are read.
func tables() (endUser, rest, agent []route) {
	s := &Server{}
	return s.endUserAPI(), s.restAPI(), s.agentAPI()
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
		rel := strings.TrimPrefix(r.pattern, api.Prefix)
		if !strings.Contains(doc, "`"+r.method+" "+rel) && !strings.Contains(doc, "`"+r.method+" "+r.pattern) {
			t.Errorf("docs/enduser-api.md does not document %s %s", r.method, r.pattern)
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
		switch r.pattern {
		case api.RouteToken, api.RouteTakeover, api.RouteRealtime:
			continue
		}
		want[api.Route{Method: r.method, Pattern: r.pattern}] = true
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
		if r.long == 0 {
			continue
		}
		seen[r.long] = true
		if rel := strings.TrimPrefix(r.pattern, api.Prefix); !strings.Contains(row, rel+"`") {
			t.Errorf("the long routes row does not name %s %s", r.method, r.pattern)
		}
	}
	for _, r := range append(rest, agent...) {
		if r.long != 0 {
			seen[r.long] = true
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
	bodyDoc := map[bodyClass][2]string{
		bodyJSON:   {"enduser-api.md", fmt.Sprintf("| JSON bodies | %d MiB |", maxJSONBody>>20)},
		bodyFile:   {"enduser-api.md", "| files | the company's `max_file_size`"},
		bodyEmail:  {"enduser-api.md", "| files | the company's `max_file_size`"},
		bodyUpload: {"rest-api.md", "videos `video/mp4` ≤ 20 MB"},
	}
	rateDoc := map[rateClass][2]string{
		rateEndUser:     {"enduser-api.md", "(`Rates.EndUser`)"},
		rateToken:       {"enduser-api.md", "(`Rates.Token`)"},
		rateREST:        {"rest-api.md", "10 requests per second per company"},
		rateAgentSignIn: {"agent-api.md", "shares the REST API's per-company rate"},
	}
	endUser, rest, agent := tables()
	for _, r := range append(append(endUser, rest...), agent...) {
		if r.body == bodyUnset || r.rate == rateUnset {
			t.Errorf("%s %s states no body or rate class", r.method, r.pattern)
			continue
		}
		if reads := r.method != "GET" && r.method != "DELETE"; reads == (r.body == bodyNone) {
			t.Errorf("%s %s has body class %d", r.method, r.pattern, r.body)
		}
		if d, ok := bodyDoc[r.body]; ok && !strings.Contains(docs[d[0]], d[1]) {
			t.Errorf("docs/%s does not state the body limit of %s %s (%q)", d[0], r.method, r.pattern, d[1])
		}
		if d, ok := rateDoc[r.rate]; ok && !strings.Contains(docs[d[0]], d[1]) {
			t.Errorf("docs/%s does not state the rate of %s %s (%q)", d[0], r.method, r.pattern, d[1])
		}
	}
}
