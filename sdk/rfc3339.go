package sdk

import "time"

// parseRFC3339 reads the platform's timestamps the way
// time.Parse(time.RFC3339, s) does (optional fractional seconds after '.'
// or ',', then "Z" or ±hh:mm) and gives the same instant. It exists
// because time.Parse links the whole layout interpreter, 12.5 KB of the
// brotli wasm, for three fields. Unlike time.Parse it never picks the
// Local zone for a matching offset (the instant is the same) and wants a
// two-digit hour, as RFC 3339 does.
func parseRFC3339(s string) (t time.Time, ok bool) {
	// 2006-01-02T15:04:05[.fff…](Z|±hh:mm)
	if len(s) < len("2006-01-02T15:04:05Z") || s[4] != '-' || s[7] != '-' ||
		s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	min, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) ||
		month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour > 23 || min > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest := s[19:]
	nsec := 0
	if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			if i <= 9 {
				nsec = nsec*10 + int(rest[i]-'0')
			}
			i++
		}
		if i == 1 {
			return time.Time{}, false
		}
		for n := i; n <= 9; n++ {
			nsec *= 10
		}
		rest = rest[i:]
	}
	switch {
	case rest == "Z":
		return time.Date(year, time.Month(month), day, hour, min, sec, nsec, time.UTC), true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, okh := digits(rest[1:3])
		om, okm := digits(rest[4:6])
		if !okh || !okm || oh > 24 || om > 60 { // time.Parse's own limits
			return time.Time{}, false
		}
		off := (oh*60 + om) * 60
		if rest[0] == '-' {
			off = -off
		}
		utc := time.Date(year, time.Month(month), day, hour, min, sec, nsec, time.UTC)
		return utc.Add(-time.Duration(off) * time.Second).In(time.FixedZone("", off)), true
	}
	return time.Time{}, false
}

// digits reads a run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// daysIn is the number of days of month in year.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
