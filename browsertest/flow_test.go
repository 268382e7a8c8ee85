//go:build browser

package browsertest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestFullFlow: menus → chat → virtual agent → escalate → an agent replies
// through the REST API → finish → survey → rating.
func TestFullFlow(t *testing.T) {
	t.Parallel()
	p := openPage(t)
	errc := make(chan error, 1)
	var res json.RawMessage
	go func() {
		var err error
		res, err = p.run("flow.html", 90*time.Second)
		errc <- err
	}()
	if err := p.waitFor(`window.__phase === 'escalated'`, 60*time.Second); err != nil {
		t.Fatalf("%v (page: %v)", err, drain(errc))
	}
	raw, err := p.eval(`window.__chatId`)
	if err != nil {
		t.Fatal(err)
	}
	chatID, _ := strconv.ParseInt(string(raw), 10, 64)
	agentSay(t, chatID, 1, "Alice here, how can I help?")
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	var r struct{ Agent string }
	json.Unmarshal(res, &r)
	if r.Agent != "Alice here, how can I help?" {
		t.Fatalf("result %s", res)
	}
}

func drain(errc chan error) error {
	select {
	case err := <-errc:
		return err
	case <-time.After(100 * time.Millisecond):
		return nil
	}
}

// TestReloadRestoresChat reloads the page mid-chat; an agent writes while
// no page is open; the new page restores the chat with no message lost or
// repeated.
func TestReloadRestoresChat(t *testing.T) {
	t.Parallel()
	p := openPage(t)
	user := fmt.Sprintf("reload-user-%d", time.Now().UnixNano())
	res, err := p.run("reload.html", 60*time.Second, "phase=1", "user="+user)
	if err != nil {
		t.Fatal(err)
	}
	var r1 struct{ ChatID int64 }
	if err := json.Unmarshal(res, &r1); err != nil || r1.ChatID == 0 {
		t.Fatalf("phase 1 result %s", res)
	}
	if _, err := p.eval(`location.href = 'about:blank'`); err != nil {
		t.Fatal(err)
	}
	agentSay(t, r1.ChatID, 1, "while you were away")
	res, err = p.run("reload.html", 60*time.Second, "phase=2", "user="+user, "chat="+strconv.FormatInt(r1.ChatID, 10))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("phase 2: %s", res)
}

// TestDeclarationsMatchClient compares the live Client's methods with
// js/index.d.ts.
func TestDeclarationsMatchClient(t *testing.T) {
	t.Parallel()
	res, err := openPage(t).run("types.html", 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("methods: %s", res)
}

// wasmBudget is the size budget of issue #5 for the brotli-compressed
// wasm: 750 KB, read strictly as 750,000 bytes.
const wasmBudget = 750 * 1000

// wasmCeiling is a ratchet below the budget, and the goal of issue #15
// (≤ 650 KB): the brotli wasm measured 648,718 bytes when it was last set
// (902,401 at the start; 835,846 before the build flags of
// internal/wasmbuild; 773,257 before fmt left the build; 725,241 before
// wasmbuild merged the data segments and api/internal/gen compacted
// easyjson's code). Brotli moves by a few KB with unrelated edits (one
// that made the raw wasm 400 bytes smaller made the brotli 4.3 KB larger;
// one that made it 3 KB smaller made the brotli 0.7 KB larger), so read a
// failure as "look", not as proof. Lower it whenever the wasm shrinks;
// raise it only with a reason in the commit, and never past the budget.
const wasmCeiling = 650 * 1000

// TestWasmSizeBudget compresses the wasm TestMain built (as shipped, see
// internal/wasmbuild) with the compressor the build uses and fails over
// the ceiling or the budget. It is deterministic: the same sources give
// the same bytes.
func TestWasmSizeBudget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	wasm := filepath.Join(dir, "ccaip.wasm")
	b, err := os.ReadFile(filepath.Join(env.buildDir, "ccaip.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(wasm, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runGo(env.repo, "run", "./internal/cmd/compress", wasm)
	if err != nil {
		t.Fatalf("compress: %v\n%s", err, out)
	}
	info, err := os.Stat(wasm + ".br")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ccaip.wasm: raw %d bytes, brotli %d bytes (ceiling %d, budget %d: %d to spare)", len(b), info.Size(), wasmCeiling, wasmBudget, wasmBudget-info.Size())
	if wasmCeiling > wasmBudget {
		t.Fatalf("the ceiling %d is over the budget %d", wasmCeiling, wasmBudget)
	}
	if info.Size() > wasmCeiling {
		t.Fatalf("brotli wasm is %d bytes, over the %d ceiling (budget %d): find what grew it (go run ./internal/cmd/wasmsize prints code bytes by package, -funcs by function; a new use of fmt alone costs about 54 KB)", info.Size(), wasmCeiling, wasmBudget)
	}
}

// TestEveryMethod calls every documented method from JS with the
// documented examples and checks each result's shape.
func TestEveryMethod(t *testing.T) {
	t.Parallel()
	res, err := openPage(t).run("methods.html", 120*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("results: %s", res)
}
