package native_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when the Example leaves a goroutine behind
// (the client's, the platform's or a socket's).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
