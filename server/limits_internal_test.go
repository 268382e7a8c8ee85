package server

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server/httpapi"
)

// TestLimitsDocumented fails when a limit of limits.go changes and
// docs/enduser-api.md still states the old one.
func TestLimitsDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/enduser-api.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i := strings.Index(doc, "## Limits")
	if i < 0 {
		t.Fatal("docs/enduser-api.md has no Limits section")
	}
	doc = doc[i:]
	tm := Timeouts{}.withDefaults()
	for _, want := range []string{
		fmt.Sprintf("%d KiB (`Timeouts.MaxHeaderBytes`), within %d s", tm.MaxHeaderBytes>>10, int(tm.ReadHeader.Seconds())),
		fmt.Sprintf("%d s (`Timeouts.Read`)", int(tm.Read.Seconds())),
		fmt.Sprintf("%d s (`Timeouts.Write`)", int(tm.Write.Seconds())),
		fmt.Sprintf("%d s (`Timeouts.Idle`)", int(tm.Idle.Seconds())),
		fmt.Sprintf("agent feed %d s", int(httpapi.PollDeadline.Seconds())),
		fmt.Sprintf("downloads (`/media/{mid}`, `/transcripts/{tid}`) %d min", int(httpapi.TransferDeadline.Minutes())),
		fmt.Sprintf("%d/s, bursts of %d (`Rates.EndUser`)", defaultEndUserRate, defaultEndUserBurst),
		fmt.Sprintf("%d/s, bursts of %d (`Rates.Token`)", defaultTokenRate, defaultTokenBurst),
		fmt.Sprintf("%d, one more every %d s (`Rates.LoginFailures`)", defaultLoginFailures, int(defaultLoginFailureRefill.Seconds())),
		fmt.Sprintf("`identifier` ≤ %d bytes", maxIdentifierLength),
		fmt.Sprintf("%d KiB of JSON, nested ≤ %d levels, arrays ≤ %d items", maxMetadataBytes>>10, maxJSONDepth, maxJSONArray),
		fmt.Sprintf("%d each; a button's title, payload or URL ≤ %s characters", maxButtons, thousands(maxLabelLength)),
		fmt.Sprintf("message text | %s characters; structured content + text %s", thousands(api.MaxTextLength), thousands(api.MaxStructuredLength)),
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/enduser-api.md Limits does not say %q", want)
		}
	}
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	if len(s) > 3 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}
