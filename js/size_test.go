package jsfiles

import (
	"bytes"
	"os"
	"testing"

	"github.com/andybalholm/brotli"
)

// maxWidgetBrotli is issue #17's budget for the widget's own files (its
// script, strings and stylesheet; the SDK they load is counted apart).
const maxWidgetBrotli = 40_000

// TestWidgetSize keeps the widget's JS and CSS under the budget, brotli -11
// each, as a server would send them.
func TestWidgetSize(t *testing.T) {
	total := 0
	for _, name := range WidgetFiles {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		w := brotli.NewWriterLevel(&out, brotli.BestCompression)
		w.Write(b)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes, %d brotli", name, len(b), out.Len())
		total += out.Len()
	}
	t.Logf("widget total: %d bytes brotli (budget %d)", total, maxWidgetBrotli)
	if total > maxWidgetBrotli {
		t.Errorf("the widget is %d bytes brotli, over the %d budget", total, maxWidgetBrotli)
	}
}
