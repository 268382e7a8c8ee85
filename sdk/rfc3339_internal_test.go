package sdk

import (
	"testing"
	"time"
)

// TestParseRFC3339MatchesTimeParse checks parseRFC3339 against the
// standard library on valid, edge and malformed timestamps.
func TestParseRFC3339MatchesTimeParse(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"2026-11-22T23:39:02Z",
		"2026-11-22T23:39:02.123Z",
		"2026-11-22T23:39:02.1Z",
		"2026-11-22T23:39:02.123456789Z",
		"2026-11-22T23:39:02.1234567891234Z",
		"2026-11-22T23:39:02,5Z",
		"2026-11-22T23:39:02+02:00",
		"2026-11-22T23:39:02.250-07:30",
		"2026-11-22T00:00:00+23:59",
		"2024-02-29T12:00:00Z",
		"0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59.999Z",
		"",
		"2026-11-22",
		"2026-11-22T23:39:02",
		"2026-11-22 23:39:02Z",
		"2026-11-22t23:39:02Z",
		"2026-11-22T23:39:02z",
		"2023-02-29T12:00:00Z",
		"2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z",
		"2026-04-31T00:00:00Z",
		"2026-11-22T24:00:00Z",
		"2026-11-22T23:60:00Z",
		"2026-11-22T23:59:60Z",
		"2026-11-22T23:39:02.Z",
		"2026-11-22T23:39:02+0200",
		"2026-11-22T23:39:02+24:00",
		"2026-11-22T23:39:02+02:60",
		"2026-11-22T23:39:02-99:99",
		"2026-11-22T23:39:02+25:00",
		"2026-11-22T23:39:02+00:61",
		"2026-11-22T23:39:02ZZ",
		"2026-11-22T23:39:02Z ",
		"2026-1a-22T23:39:02Z",
		"+026-11-22T23:39:02Z",
		"2026-11-22T23:39:02.12a",
	} {
		want, err := time.Parse(time.RFC3339, s)
		got, ok := parseRFC3339(s)
		if ok != (err == nil) {
			t.Errorf("parseRFC3339(%q) ok=%v, time.Parse err=%v", s, ok, err)
			continue
		}
		if ok && (!got.Equal(want) || got.Format(time.RFC3339Nano) != want.Format(time.RFC3339Nano)) {
			t.Errorf("parseRFC3339(%q) = %s, time.Parse = %s", s, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
		}
	}
}
