//go:build js && wasm

package main

import (
	"context"
	"errors"
	"os"
	"runtime/debug"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jwriter"
	"github.com/ccaip/headless-go/internal/xfmt"
	"github.com/hack-pad/safejs"
)

// Kinds of settled values, the third argument of host.settle and host.emit.
const (
	kindUndefined = 0 // no value (Promise<void>)
	kindJSON      = 1 // a JSON string for the loader to parse
	kindValue     = 2 // a plain JS value (string, number, boolean, null)
	kindFile      = 3 // {name, type, data: Uint8Array}: the loader makes a File
	kindError     = 4 // a JSON error {code, message, retryable, status}
)

// result is what a method resolves with.
type result struct {
	kind  int
	value any
}

var void = result{kind: kindUndefined}

// jsFlags encode a nil slice as [] and a nil map as {}: every array and
// object the documents show reaches JavaScript as one, never as null (the
// platform's JSON may say null for an empty list).
const jsFlags = jwriter.NilSliceAsEmpty | jwriter.NilMapAsEmpty

// jsonOf returns the JSON enc writes as a result; enc is a bound method
// such as chat.MarshalEasyJSON. It takes a func and not an interface on
// purpose: a single interface call of MarshalEasyJSON makes the linker keep
// that method, and the encoder behind it, on every api type that ever
// becomes an interface value, and the same holds for UnmarshalEasyJSON.
// With method values and method expressions the wasm carries only the
// encoders and decoders it calls.
func jsonOf(enc func(w *jwriter.Writer)) result {
	w := jwriter.Writer{Flags: jsFlags}
	enc(&w)
	if w.Error != nil {
		return result{kind: kindError, value: errorJSON(api.Errorf(api.CodeInternal, "encode result: %v", w.Error))}
	}
	return result{kind: kindJSON, value: string(w.Buffer.BuildBytes())}
}

// valueOf returns v (a string, number, boolean or nil) as a JS value.
func valueOf(v any) result { return result{kind: kindValue, value: v} }

// method is one exported client method.
type method func(ctx context.Context, a *args) (result, error)

// jsCall is the single entry point of every client method:
// call(id, method, argsJSON, files). It returns at once; the method runs on
// its own goroutine and settles id through host.settle.
func (p *program) jsCall(_ safejs.Value, jsArgs []safejs.Value) any {
	if len(jsArgs) < 3 {
		return nil
	}
	id, err := jsArgs[0].Float()
	if err != nil {
		return nil
	}
	name, err := jsArgs[1].String()
	if err != nil {
		p.settleErr(id, api.Errorf(api.CodeBadRequest, "method name is not a string"))
		return nil
	}
	argsJSON, err := jsArgs[2].String()
	if err != nil {
		p.settleErr(id, api.Errorf(api.CodeBadRequest, "%s: arguments are not a JSON string", name))
		return nil
	}
	var files []fileArg
	if len(jsArgs) > 3 {
		files, err = readFiles(jsArgs[3])
		if err != nil {
			p.settleErr(id, api.Errorf(api.CodeBadRequest, "%s: files: %v", name, err))
			return nil
		}
	}
	m, ok := p.core.methods[name]
	if !ok {
		p.settleErr(id, api.Errorf(api.CodeBadRequest, "unknown method %q", name))
		return nil
	}
	select {
	case <-p.done:
		p.settleErr(id, api.Errorf(api.CodeDestroyed, "the client was destroyed"))
		return nil
	default:
	}
	p.calls.Add(1)
	go p.run(id, name, m, argsJSON, files)
	return nil
}

// run executes one method call and settles it, turning a panic into a
// rejection with code "panic".
func (p *program) run(id float64, name string, m method, argsJSON string, files []fileArg) {
	defer p.calls.Done()
	defer func() {
		if r := recover(); r != nil {
			logPanic(name, r)
			if p.debug {
				os.Stdout.WriteString("ccaip: " + string(debug.Stack()) + "\n")
			}
			p.settleErr(id, &api.Error{Code: api.CodePanic, Message: xfmt.Sprintf("%s: internal error: %v", name, r)})
		}
	}()
	a, err := parseArgs(argsJSON, files)
	if err != nil {
		p.settleErr(id, &prefixed{name, err})
		return
	}
	res, err := m(p.ctx, a)
	if err != nil {
		p.settleErr(id, &prefixed{name, err})
		return
	}
	p.settleResult(id, res)
}

// prefixed is fmt.Errorf("%s: %w", prefix, err) without package fmt,
// which the wasm build does not link (see internal/xfmt).
type prefixed struct {
	prefix string
	err    error
}

func (e *prefixed) Error() string { return e.prefix + ": " + e.err.Error() }
func (e *prefixed) Unwrap() error { return e.err }

func (p *program) settleResult(id float64, res result) {
	if _, err := p.settle.Invoke(id, res.kind, jsValue(res.value)); err != nil {
		logPanic("settle", err)
	}
}

func (p *program) settleErr(id float64, err error) {
	p.settleResult(id, result{kind: kindError, value: errorJSON(p.classify(err))})
}

// classify maps any error to the project's typed error. Once destroy() has
// canceled the program, every failing call reads as "destroyed", whatever
// it saw first (its canceled context reads as unavailable in the core,
// which closes only after the calls were canceled).
func (p *program) classify(err error) *api.Error {
	if p.ctx.Err() != nil {
		return &api.Error{Code: api.CodeDestroyed, Message: "the client was destroyed"}
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		out := *ae
		return &out
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &api.Error{Code: api.CodeTimeout, Message: err.Error(), Retryable: true}
	}
	return &api.Error{Code: api.CodeInternal, Message: err.Error()}
}

// errorJSON is the wire form the loader turns into an Error with code,
// retryable and status properties.
func errorJSON(e *api.Error) string {
	var w jwriter.Writer
	writeError(&w, e)
	b, _ := w.BuildBytes()
	return string(b)
}

// writeError writes e as the loader's error JSON.
func writeError(w *jwriter.Writer, e *api.Error) {
	w.RawString(`{"code":`)
	w.String(e.Code)
	w.RawString(`,"message":`)
	w.String(e.Message)
	w.RawString(`,"retryable":`)
	w.Bool(e.Retryable)
	w.RawString(`,"status":`)
	w.Int(e.Status)
	w.RawByte('}')
}

// jsValue converts what a result may hold into something safejs accepts.
func jsValue(v any) any {
	switch v := v.(type) {
	case nil:
		return safejs.Null()
	case int64:
		return float64(v)
	case fileResult:
		data, err := safejs.Global().Get("Uint8Array")
		if err != nil {
			return safejs.Null()
		}
		arr, err := data.New(len(v.Data))
		if err != nil {
			return safejs.Null()
		}
		if _, err := safejs.CopyBytesToJS(arr, v.Data); err != nil {
			return safejs.Null()
		}
		return map[string]any{"name": v.Name, "type": v.Type, "data": arr}
	}
	return v
}

// fileResult is a file handed to JS; the loader makes a File of it.
type fileResult struct {
	Name string
	Type string
	Data []byte
}
