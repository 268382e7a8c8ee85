package transcript_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind (the SMTP
// sender's connection handling in particular).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
