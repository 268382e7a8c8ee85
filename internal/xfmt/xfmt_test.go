package xfmt_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ccaip/headless-go/internal/xfmt"
)

// TestSameAsFmt: within the subset, Sprintf prints what fmt.Sprintf does.
func TestSameAsFmt(t *testing.T) {
	err := errors.New("boom")
	cases := []struct {
		format string
		args   []any
	}{
		{"plain", nil},
		{"%s", []any{"text"}},
		{"chat %d not found", []any{int64(4711)}},
		{"%d %d %d %d", []any{-1, uint8(2), int32(-3), uint64(1 << 63)}},
		{"origin %q is not allowed", []any{"http://evil.example/\"x\"\n"}},
		{"%s: %v", []any{"read body", err}},
		{"%v and %s", []any{time.Duration(1500) * time.Millisecond, []byte("bytes")}},
		{"%v %v %v", []any{true, 3.25, float32(0.5)}},
		{"100%% done, %s", []any{"ü ✓"}},
		{"%v", []any{nil}},
		{"wrapped: %w", []any{err}},
		{"trailing %", nil},
		{"%q", []any{err}},
	}
	for _, c := range cases {
		want := fmt.Sprintf(c.format, c.args...)
		if c.format == "wrapped: %w" {
			want = fmt.Errorf(c.format, c.args...).Error()
		}
		if got := xfmt.Sprintf(c.format, c.args...); got != want {
			t.Errorf("Sprintf(%q) = %q, fmt says %q", c.format, got, want)
		}
	}
}

// TestOutsideTheSubset: what it cannot print shows in the message.
func TestOutsideTheSubset(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
		want   string
	}{
		{"%d", []any{"text"}, "%!d(?)"},
		{"%x", []any{255}, "%!x(?)"},
		{"%v", []any{struct{}{}}, "%!v(?)"},
		{"%s %s", []any{"one"}, "one %!s(MISSING)"},
		{"%s", []any{"one", "two"}, "one%!(EXTRA)"},
		{"%é", []any{1}, "%!é(unsupported)"},
	} {
		if got := xfmt.Sprintf(c.format, c.args...); got != c.want {
			t.Errorf("Sprintf(%q, %v) = %q, want %q", c.format, c.args, got, c.want)
		}
	}
}
