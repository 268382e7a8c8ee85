package chat

import (
	"fmt"
	"time"
)

// TimeFormat is how the platform writes times on the wire.
const TimeFormat = "2006-01-02T15:04:05.000Z07:00"

// FmtTime writes Unix milliseconds ms in TimeFormat; 0 is "".
func FmtTime(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format(TimeFormat)
}

// IsAfterHours reports whether t is outside the company's opening hours.
func (s *Domain) IsAfterHours(t time.Time) bool {
	ah := s.company.AfterHours
	if len(ah.Open) == 0 {
		return false
	}
	loc := time.UTC
	if ah.Timezone != "" {
		if l, err := time.LoadLocation(ah.Timezone); err == nil {
			loc = l
		}
	}
	t = t.In(loc)
	hm := fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute())
	for _, o := range ah.Open {
		for _, d := range o.Days {
			if time.Weekday(d) == t.Weekday() && hm >= o.From && hm < o.To {
				return false
			}
		}
	}
	return true
}
