package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/ccaip/headless-go/api"
)

// TestBridgeRoutesGenerated fails when js/bridge-routes.js is not what
// api.BridgeRoutes generates: the bridge would enforce another table than
// the one the server and its tests know.
func TestBridgeRoutesGenerated(t *testing.T) {
	got, err := os.ReadFile("../../../js/bridge-routes.js")
	if err != nil {
		t.Fatal(err)
	}
	if want := render(api.BridgeRoutes); !bytes.Equal(got, want) {
		t.Fatalf("js/bridge-routes.js is stale: run go generate ./api\n--- want\n%s", want)
	}
}
