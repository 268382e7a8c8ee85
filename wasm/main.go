//go:build js && wasm

// Command wasm is the browser build of the headless client: it adapts the
// pure-Go core in package sdk to JavaScript. js/loader.js instantiates it
// once per Client and talks to it through a small surface:
//
//	loader → Go:  call(id, method, argsJSON, files)   returns at once
//	              respond(goID, status, value)         answers a host request
//	              destroy()                            releases everything
//	              stats()                              debug counters
//	Go → loader:  host.settle(id, kind, value)         settles call id
//	              host.request(goID, kind, payload)    asks JS (fetch via the
//	                                                   bridge, authenticate)
//	              host.emit(batchJSON)                 documented events: one
//	                                                   round's [[event, kind,
//	                                                   value], …] at once
//	              host.exited(stats)                   the program is done
//
// The loader owns every Promise (a Map by call id) and Go settles through one
// cached function: the fastest bridge measured (10–16 µs per call). Every
// call runs on its own goroutine with panics recovered into rejections, so a
// Go panic never kills the runtime.
package main

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/ccaip/headless-go/internal/xfmt"
)

// bootRegistry is the global object where the loader leaves, under the key
// passed as os.Args[1], the host object and the configuration for this
// instance.
const bootRegistry = "__ccaipBoot"

func main() {
	if len(os.Args) < 2 {
		os.Stderr.WriteString("ccaip: started without a boot key; load it through js/loader.js\n")
		return
	}
	p, err := boot(os.Args[1])
	if err != nil {
		os.Stderr.WriteString("ccaip: boot: " + err.Error() + "\n")
		return
	}
	<-p.done
}

// program is one instance of the client in one page.
type program struct {
	funcs  *funcs
	host   safejs.Value
	settle safejs.Value // host.settle, looked up once
	ctx    context.Context
	cancel context.CancelFunc
	calls  sync.WaitGroup
	done   chan struct{}

	requests *hostRequests
	core     *core
	debug    bool
}

func boot(key string) (*program, error) {
	registry, err := safejs.Global().Get(bootRegistry)
	if err != nil {
		return nil, err
	}
	entry, err := registry.Get(key)
	if err != nil || entry.IsUndefined() {
		return nil, errors.New("no boot entry " + strconv.Quote(key))
	}
	host, err := entry.Get("host")
	if err != nil {
		return nil, err
	}
	settle, err := host.Get("settle")
	if err != nil {
		return nil, err
	}
	cfgValue, err := entry.Get("config")
	if err != nil {
		return nil, err
	}
	cfgJSON, err := cfgValue.String()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &program{
		funcs:  newFuncs(),
		host:   host,
		settle: settle,
		ctx:    ctx,
		cancel: cancel,
		done:   make(chan struct{}),
	}
	p.requests = newHostRequests(p)
	cfg, err := parseConfig([]byte(cfgJSON))
	if err != nil {
		cancel()
		return nil, err
	}
	p.debug = cfg.Debug
	core, err := newCore(p, cfg)
	if err != nil {
		cancel()
		return nil, err
	}
	p.core = core

	exports, err := safejs.Global().Get("Object")
	if err == nil {
		exports, err = exports.New()
	}
	if err != nil {
		cancel()
		return nil, err
	}
	for name, fn := range map[string]func(safejs.Value, []safejs.Value) any{
		"call":    p.jsCall,
		"respond": p.requests.jsRespond,
		"destroy": p.jsDestroy,
		"stats":   p.jsStats,
	} {
		f, _, err := p.funcs.add(name, fn)
		if err != nil {
			p.funcs.releaseAll()
			cancel()
			return nil, err
		}
		if err := exports.Set(name, f.Value()); err != nil {
			p.funcs.releaseAll()
			cancel()
			return nil, err
		}
	}
	if _, err := entry.Call("register", exports); err != nil {
		p.funcs.releaseAll()
		cancel()
		return nil, err
	}
	core.start()
	return p, nil
}

// jsDestroy stops every call and connection, releases every js.Func and
// tells the host the final counters; main then returns.
func (p *program) jsDestroy(_ safejs.Value, _ []safejs.Value) any {
	select {
	case <-p.done:
		return nil
	default:
	}
	p.cancel()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				logPanic("destroy", r)
			}
			close(p.done)
		}()
		p.core.close()
		p.requests.failAll()
		p.calls.Wait()
		p.funcs.releaseAll()
		_, _ = p.host.Call("exited", p.statsObject())
	}()
	return nil
}

// jsStats returns debug counters: live js.Funcs, calls in flight, pending
// host requests and open sockets.
func (p *program) jsStats(_ safejs.Value, _ []safejs.Value) any {
	return p.statsObject()
}

func (p *program) statsObject() any {
	return map[string]any{
		"funcs":    p.funcs.count(),
		"requests": p.requests.count(),
		"sockets":  openSockets(),
	}
}

func logPanic(where string, r any) {
	os.Stderr.WriteString(xfmt.Sprintf("ccaip: recovered panic in %s: %v\n", where, r))
}
