package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/sdk/native"
	"github.com/ccaip/headless-go/server"
)

// loadInterval is how often each chat sends a message during the load
// benchmark: an end user who writes every few seconds, with every message
// echoed back to the sender through the realtime channel.
const loadInterval = 4 * time.Second

// loadRun is one measured load phase.
type loadRun struct {
	lat   []float64 // ms, send → echo, inside the window
	slot  []int     // which 5 s slice of the window each lat sample was sent in
	rate  float64   // echoes per second inside the window
	setup time.Duration
	errs  int64
}

// benchLoad is item 6: for each N, N native SDK clients (the core with the
// native HTTP communicator and coder/websocket dialer) each hold a chat
// on a fresh in-process platform and send a message every loadInterval;
// the latency is the send call → the message's own echo at the client's
// chat.message listener. The ceiling is a raw coder/websocket echo server
// with N connections at the same rate, measured right after in the same
// process.
func benchLoad(ctx context.Context, e *env) ([]Result, error) {
	window := 20 * time.Second
	ns := e.opt.loadNs
	if e.opt.quick {
		window = 8 * time.Second
	}
	var out []Result
	for i, n := range ns {
		profile := e.opt.cpuprofile != "" && i == len(ns)-1
		sdkRun, err := loadSDK(ctx, e, n, window, profile)
		if err != nil {
			return out, fmt.Errorf("load of %d chats: %w", n, err)
		}
		raw, err := loadRaw(ctx, n, window)
		if err != nil {
			return out, fmt.Errorf("raw echo with %d connections: %w", n, err)
		}
		note := fmt.Sprintf("each chat sends every %s (offered %.0f msg/s); %.0f s window after one interval of warm-up; p99 of each 5 s slice of the window: %s ms; setup of %d chats took %.1f s; %d send errors; ceiling = raw coder/websocket echo with %d connections at the same rate",
			loadInterval, float64(n)/loadInterval.Seconds(), window.Seconds(), slotP99s(sdkRun), n, sdkRun.setup.Seconds(), sdkRun.errs, n)
		r := Result{Item: "load", Name: fmt.Sprintf("N=%d chats: send → own echo", n), Unit: "ms", Median: median(sdkRun.lat), Runs: len(sdkRun.lat), Note: note}.
			withDist(sdkRun.lat).withBaseline("raw ws echo p50", median(raw.lat))
		if n >= 2000 {
			r = r.withGoal("p99", "<", 50)
		}
		out = append(out, r,
			Result{Item: "load", Name: fmt.Sprintf("N=%d chats: echoes/s", n), Unit: "msg/s", Median: sdkRun.rate, Runs: 1}.withBaseline("raw ws echo", raw.rate),
			Result{Item: "load", Name: fmt.Sprintf("N=%d raw ws echo ceiling", n), Unit: "ms", Median: median(raw.lat), Runs: len(raw.lat)}.withDist(raw.lat),
		)
	}
	return out, nil
}

// loadSDK runs one SDK load phase with n chats.
func loadSDK(ctx context.Context, e *env, n int, window time.Duration, profile bool) (loadRun, error) {
	var res loadRun
	dir, err := os.MkdirTemp(e.opt.out, "load-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	// 2,000 end users from one address: no per-address limit.
	srv, err := server.New(server.Config{DataDir: dir, DismissAfter: -1, ChatTimeout: -1, RESTRate: 1e9, Rates: server.Rates{Token: -1, EndUser: -1}})
	if err != nil {
		return res, err
	}
	ts := httptest.NewServer(srv.Handler())
	defer func() {
		ts.CloseClientConnections()
		ts.Close()
		srv.Close()
	}()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 512
	hc := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()

	var (
		mu        sync.Mutex
		lat       []float64
		slots     []int
		from, to  atomic.Int64 // the measuring window, unix ns
		delivered atomic.Int64
		errs      atomic.Int64
	)
	from.Store(1 << 62)
	to.Store(1 << 62)
	clients := make([]*sdk.Client, n)
	defer func() {
		var wg sync.WaitGroup
		for _, c := range clients {
			if c != nil {
				wg.Go(func() { c.Close() })
			}
		}
		wg.Wait()
	}()

	t0 := time.Now()
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	var setupErr atomic.Value
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			id := fmt.Sprintf("load-%d-%d", n, i)
			c, err := sdk.New(sdk.Config{
				CompanyID:    server.DemoCompanyID,
				Tenant:       server.DemoTenant,
				Host:         ts.URL,
				Authenticate: func(context.Context) (string, error) { return endUserToken(id) },
				Communicator: native.NewHTTPCommunicator(ts.URL, hc),
				Dialer:       &native.WSDialer{HTTPClient: hc},
			})
			if err != nil {
				setupErr.Store(err)
				return
			}
			clients[i] = c
			connected := make(chan struct{})
			var once sync.Once
			c.Once(sdk.EventChatConnected, func(any) { once.Do(func() { close(connected) }) })
			c.On(sdk.EventChatMessage, func(p any) {
				m, ok := p.(*api.Message)
				if !ok || m.UserType != api.UserEndUser || !strings.HasPrefix(m.Content, "E:") {
					return
				}
				now := time.Now().UnixNano()
				sent, err := strconv.ParseInt(m.Content[2:], 10, 64)
				if err != nil || sent < from.Load() || sent > to.Load() {
					return
				}
				delivered.Add(1)
				mu.Lock()
				lat = append(lat, float64(now-sent)/1e6)
				slots = append(slots, int((sent-from.Load())/int64(5*time.Second)))
				mu.Unlock()
			})
			cctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			if _, err := c.CreateChat(cctx, 124, api.ChatRequest{}); err != nil {
				setupErr.Store(fmt.Errorf("create chat %d: %w", i, err))
				return
			}
			select {
			case <-connected:
			case <-cctx.Done():
				setupErr.Store(fmt.Errorf("chat %d: not connected in a minute", i))
			}
		})
	}
	wg.Wait()
	res.setup = time.Since(t0)
	if err, ok := setupErr.Load().(error); ok {
		return res, err
	}

	// Each chat sends every loadInterval from a random phase; the first
	// interval warms up, then the window measures.
	start := time.Now()
	from.Store(start.Add(loadInterval).UnixNano())
	to.Store(start.Add(loadInterval + window).UnixNano())
	stop := start.Add(loadInterval + window)
	if profile {
		f, err := os.Create(e.opt.cpuprofile)
		if err != nil {
			return res, err
		}
		defer f.Close()
		time.AfterFunc(loadInterval, func() { pprof.StartCPUProfile(f) })
		defer pprof.StopCPUProfile()
	}
	var senders sync.WaitGroup
	for _, c := range clients {
		senders.Go(func() {
			next := start.Add(rand.N(loadInterval))
			for next.Before(stop) {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Until(next)):
				}
				sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				if err := c.SendTextMessage(sctx, "E:"+strconv.FormatInt(time.Now().UnixNano(), 10)); err != nil {
					errs.Add(1)
				}
				cancel()
				next = next.Add(loadInterval)
			}
		})
	}
	senders.Wait()
	// Echoes of the last sends are still in flight: give them time.
	time.Sleep(2 * time.Second)
	res.errs = errs.Load()
	res.rate = float64(delivered.Load()) / window.Seconds()
	mu.Lock()
	res.lat, res.slot = lat, slots
	mu.Unlock()
	if len(res.lat) == 0 {
		return res, errors.New("no echo arrived")
	}
	return res, ctx.Err()
}

// loadRaw is the ceiling: a coder/websocket echo server and n clients
// that each send a timestamp every loadInterval and read it back.
func loadRaw(ctx context.Context, n int, window time.Duration) (loadRun, error) {
	var res loadRun
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			typ, b, err := c.Read(r.Context())
			if err != nil {
				return
			}
			if err := c.Write(r.Context(), typ, b); err != nil {
				return
			}
		}
	}))
	defer ts.Close()
	url := "ws" + strings.TrimPrefix(ts.URL, "http")
	conns := make([]*websocket.Conn, n)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.CloseNow()
			}
		}
	}()
	t0 := time.Now()
	for i := range conns {
		c, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			return res, err
		}
		conns[i] = c
	}
	res.setup = time.Since(t0)

	var (
		mu        sync.Mutex
		lat       []float64
		delivered atomic.Int64
		errs      atomic.Int64
	)
	start := time.Now()
	from := start.Add(loadInterval).UnixNano()
	to := start.Add(loadInterval + window).UnixNano()
	stop := start.Add(loadInterval + window)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Go(func() { // reader
			for {
				_, b, err := c.Read(rctx)
				if err != nil {
					return
				}
				now := time.Now().UnixNano()
				sent, err := strconv.ParseInt(string(b), 10, 64)
				if err != nil || sent < from || sent > to {
					continue
				}
				delivered.Add(1)
				mu.Lock()
				lat = append(lat, float64(now-sent)/1e6)
				mu.Unlock()
			}
		})
	}
	var senders sync.WaitGroup
	for _, c := range conns {
		senders.Go(func() {
			next := start.Add(rand.N(loadInterval))
			for next.Before(stop) {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Until(next)):
				}
				if err := c.Write(ctx, websocket.MessageText, []byte(strconv.FormatInt(time.Now().UnixNano(), 10))); err != nil {
					errs.Add(1)
				}
				next = next.Add(loadInterval)
			}
		})
	}
	senders.Wait()
	time.Sleep(time.Second)
	cancel()
	for _, c := range conns {
		c.CloseNow()
	}
	wg.Wait()
	res.rate = float64(delivered.Load()) / window.Seconds()
	res.lat = lat
	res.errs = errs.Load()
	return res, nil
}

// slotP99s lists the p99 of each 5 s slice of the window, so that a
// single burst of outside load (other processes on a shared machine) can
// be told from a steady overload.
func slotP99s(r loadRun) string {
	by := map[int][]float64{}
	last := 0
	for i, s := range r.slot {
		by[s] = append(by[s], r.lat[i])
		last = max(last, s)
	}
	var parts []string
	for s := 0; s <= last; s++ {
		if len(by[s]) > 0 {
			parts = append(parts, num(percentile(by[s], 99)))
		}
	}
	return strings.Join(parts, ", ")
}
