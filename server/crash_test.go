package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/server"
)

// crashChildEnv names the data directory of a platform process that the
// test binary runs instead of its tests (TestMain).
const crashChildEnv = "CCAIP_CRASH_CHILD_DIR"

// runCrashChild serves a platform on a loopback port, prints the address
// and serves until it is killed.
func runCrashChild(dir string) {
	srv, err := server.New(server.Config{DataDir: dir, RESTRate: 1e9, DismissAfter: -1, ChatTimeout: -1,
		Rates: server.Rates{EndUser: -1, Token: -1}})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("listening", ln.Addr())
	srv.HTTPServer(nil).Serve(ln)
	os.Exit(0)
}

// crashChild is a platform process.
type crashChild struct {
	cmd  *exec.Cmd
	base string
	done chan struct{}
}

func startCrashChild(t *testing.T, dir string) *crashChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &crashChild{cmd: cmd, done: make(chan struct{})}
	line, err := bufio.NewReader(out).ReadString('\n')
	if !strings.HasPrefix(line, "listening ") {
		cmd.Process.Kill()
		t.Fatalf("platform process: %q %v", line, err)
	}
	c.base = "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening "))
	go func() {
		io.Copy(io.Discard, out)
		cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(c.kill)
	return c
}

// kill sends SIGKILL and waits for the process to be gone.
func (c *crashChild) kill() {
	c.cmd.Process.Kill()
	<-c.done
}

// TestKill9DuringIngest: a company backend posts 10,000 agent messages
// (8 at a time, each with an Idempotency-Key) and the platform is killed
// with SIGKILL in the middle. After a restart the backend resends every
// message it has no answer for, and some it has: every acknowledged
// message is there, and every message is there exactly once.
func TestKill9DuringIngest(t *testing.T) {
	t.Parallel()
	const total, workers = 10000, 8
	dir := t.TempDir()
	child := startCrashChild(t, dir)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()

	do := func(base, method, path string, hdr map[string]string, body any) (int, []byte, error) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer res.Body.Close()
		out, err := io.ReadAll(res.Body)
		return res.StatusCode, out, err
	}
	// An end user opens the chat; the backend takes it over.
	tok := signJWT(t, jwt.SigningMethodHS256, []byte(server.DemoSecret), userClaims("crash-customer"))
	st, b, err := do(child.base, "POST", api.RouteToken, nil, api.TokenRequest{CompanyID: server.DemoCompanyID, Token: tok})
	if err != nil || st != 200 {
		t.Fatalf("sign in: %d %s %v", st, b, err)
	}
	var sess api.Session
	json.Unmarshal(b, &sess)
	bearer := map[string]string{"Authorization": "Bearer " + sess.SessionToken}
	st, b, err = do(child.base, "POST", api.RouteChats, bearer, api.ChatRequest{MenuID: 124, Lang: "en"})
	if err != nil || st != 200 {
		t.Fatalf("create chat: %d %s %v", st, b, err)
	}
	var chat api.Chat
	json.Unmarshal(b, &chat)
	msgPath := fmt.Sprintf("%s/chats/%d/message", server.RESTPrefix, chat.ID)

	var mu sync.Mutex
	acked := make([]bool, total)
	nAcked := 0
	// send posts messages i in todo until the platform stops answering.
	send := func(base string, todo []int) {
		next := make(chan int)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for i := range next {
					hdr := map[string]string{
						"Authorization":          "Basic " + basicAuth(server.DemoTenant, server.DemoAPIToken),
						api.HeaderIdempotencyKey: fmt.Sprint("k-", i),
					}
					st, _, err := do(base, "POST", msgPath, hdr, map[string]any{"message": map[string]any{"type": "text", "content": fmt.Sprint("m-", i)}})
					if err == nil && st == 200 {
						mu.Lock()
						if !acked[i] {
							acked[i] = true
							nAcked++
						}
						mu.Unlock()
					}
				}
			})
		}
		for _, i := range todo {
			next <- i
		}
		close(next)
		wg.Wait()
	}

	all := make([]int, total)
	for i := range all {
		all[i] = i
	}
	// Kill the platform once about a third has been acknowledged.
	killed := make(chan int)
	go func() {
		for {
			mu.Lock()
			n := nAcked
			mu.Unlock()
			if n >= total/3 {
				child.kill()
				killed <- n
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	send(child.base, all)
	atKill := <-killed
	mu.Lock()
	before := nAcked
	var resend []int
	for i, ok := range acked {
		// Everything unanswered, and a tenth of the acknowledged ones
		// too: a backend cannot always tell which answers it really got.
		if !ok || i%10 == 0 {
			resend = append(resend, i)
		}
	}
	mu.Unlock()
	if before >= total {
		t.Fatalf("all %d acknowledged before the kill took effect: nothing was cut", before)
	}
	t.Logf("killed at %d acknowledged; %d acknowledged when the platform was gone; resending %d", atKill, before, len(resend))

	again := startCrashChild(t, dir)
	send(again.base, resend)
	mu.Lock()
	if nAcked != total {
		t.Fatalf("after the resend %d of %d are acknowledged", nAcked, total)
	}
	mu.Unlock()

	// Every message once, in the chat's history.
	count := map[string]int{}
	for after := int64(0); ; {
		st, b, err := do(again.base, "GET", fmt.Sprintf("%s?after=%d&limit=500", path(api.RouteMessages, chat.ID), after), bearer, nil)
		if err != nil || st != 200 {
			t.Fatalf("messages after %d: %d %v", after, st, err)
		}
		var page api.MessagePage
		json.Unmarshal(b, &page)
		if len(page.Messages) == 0 {
			break
		}
		for _, m := range page.Messages {
			if m.UserType == api.UserAgent && strings.HasPrefix(m.Content, "m-") {
				count[m.Content]++
			}
			after = m.Index
		}
	}
	missing, dups := 0, 0
	for i := range total {
		switch n := count[fmt.Sprint("m-", i)]; {
		case n == 0:
			missing++
		case n > 1:
			dups++
		}
	}
	if missing > 0 || dups > 0 {
		t.Fatalf("after kill -9 and resend: %d of %d messages missing, %d stored more than once", missing, total, dups)
	}
}
