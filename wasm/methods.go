//go:build js && wasm

package main

import (
	"context"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jwriter"
)

// table maps the documented JS method names to the sdk client. Arguments
// arrive already normalised by the loader (older call forms included).
// Documented soft failures resolve with their soft value; the error is
// logged in debug mode.
func (c *core) table() map[string]method {
	cl := c.client
	t := map[string]method{
		// Company and menus.
		"getTrigger": func(ctx context.Context, a *args) (result, error) {
			tr, err := cl.GetTrigger(ctx, c.page())
			if err != nil || tr == nil {
				return valueOf(nil), err
			}
			return jsonOf(tr.MarshalEasyJSON), nil
		},
		"runTrigger": func(ctx context.Context, a *args) (result, error) {
			n, err := a.int(0, "callback", 0)
			if err != nil {
				return void, err
			}
			name := "$trigger:" + itoa(int64(n))
			_, err = cl.RunTrigger(ctx, c.page(), func(tr *api.TriggerItem) { c.emit(name, tr) })
			return void, err
		},
		"getCompany": func(ctx context.Context, a *args) (result, error) {
			r, err := cl.GetCompany(ctx)
			return resultOf(r, err, api.CompanyResponse.MarshalEasyJSON)
		},
		"getAfterHourMessage": func(ctx context.Context, a *args) (result, error) {
			lang, err := a.string(0, "lang")
			if err != nil {
				return void, err
			}
			msg, err := cl.GetAfterHourMessage(ctx, lang)
			return valueOf(msg), err
		},
		"getMenus": func(ctx context.Context, a *args) (result, error) {
			key, err := a.string(0, "key")
			if err != nil {
				return void, err
			}
			lang, err := a.string(1, "lang")
			if err != nil {
				return void, err
			}
			r, err := cl.GetMenus(ctx, key, lang)
			return resultOf(r, err, api.MenuResponse.MarshalEasyJSON)
		},
		"getWaitTimes": func(ctx context.Context, a *args) (result, error) {
			menuID, lang, err := idAndLang(a, "menuId")
			if err != nil {
				return void, err
			}
			r, err := cl.GetWaitTimes(ctx, menuID, lang)
			return resultOf(r, err, api.WaitTimeResponse.MarshalEasyJSON)
		},
		"getProhibitedFileTypes": func(ctx context.Context, a *args) (result, error) {
			r, err := cl.GetProhibitedFileTypes(ctx)
			if err != nil {
				return void, err
			}
			return jsonList(r, api.FileTypeItem.MarshalEasyJSON), nil
		},

		// Calls.
		"createCall": func(ctx context.Context, a *args) (result, error) {
			menuID, err := a.id(0, "menuId")
			if err != nil {
				return void, err
			}
			var req api.CallRequest
			if err := a.object(1, "data", req.UnmarshalEasyJSON); err != nil {
				return void, err
			}
			r, err := cl.CreateCall(ctx, menuID, req)
			return resultOf(r, err, api.CallResponse.MarshalEasyJSON)
		},
		"loadCall": func(ctx context.Context, a *args) (result, error) {
			id, err := a.id(0, "callId")
			if err != nil {
				return void, err
			}
			r, err := cl.LoadCall(ctx, id)
			return resultOf(r, err, api.CallResponse.MarshalEasyJSON)
		},
		"cancelCall": func(ctx context.Context, a *args) (result, error) {
			id, err := a.id(0, "callId")
			if err != nil {
				return void, err
			}
			r, err := cl.CancelCall(ctx, id)
			return resultOf(r, err, api.CallResponse.MarshalEasyJSON)
		},
		"getTimeSlots": func(ctx context.Context, a *args) (result, error) {
			menuID, lang, err := idAndLang(a, "menuId")
			if err != nil {
				return void, err
			}
			r, err := cl.GetTimeSlots(ctx, menuID, lang)
			if err != nil {
				return void, err
			}
			return jsonStrings(r), nil
		},

		// Chat.
		"createChat": func(ctx context.Context, a *args) (result, error) {
			menuID, err := a.id(0, "menuId")
			if err != nil {
				return void, err
			}
			var req api.ChatRequest
			if err := a.object(1, "data", req.UnmarshalEasyJSON); err != nil {
				return void, err
			}
			r, err := cl.CreateChat(ctx, menuID, req)
			return resultOf(r, err, api.Chat.MarshalEasyJSON)
		},
		"loadChat": func(ctx context.Context, a *args) (result, error) {
			id, err := a.id(0, "chatId")
			if err != nil {
				return void, err
			}
			r, err := cl.LoadChat(ctx, id)
			return resultOf(r, err, api.Chat.MarshalEasyJSON)
		},
		"loadOngoingChat": func(ctx context.Context, a *args) (result, error) {
			r, err := cl.LoadOngoingChat(ctx)
			if err != nil || r == nil {
				c.soft("loadOngoingChat", err)
				return valueOf(nil), nil
			}
			return jsonOf(r.MarshalEasyJSON), nil
		},
		"resumeChat": func(ctx context.Context, a *args) (result, error) {
			id, err := a.id(0, "chatId")
			if err != nil {
				return void, err
			}
			r, err := cl.ResumeChat(ctx, id)
			return resultOf(r, err, api.Chat.MarshalEasyJSON)
		},
		"finishChat": func(ctx context.Context, a *args) (result, error) {
			return void, cl.FinishChat(ctx)
		},
		"destroyChat": func(ctx context.Context, a *args) (result, error) {
			return void, cl.DestroyChat(ctx)
		},
		"fetchMessages": func(ctx context.Context, a *args) (result, error) {
			r, err := cl.FetchMessages(ctx)
			if err != nil {
				c.soft("fetchMessages", err)
				r = nil
			}
			return jsonList(r, api.Message.MarshalEasyJSON), nil
		},
		"sendTextMessage": func(ctx context.Context, a *args) (result, error) {
			if !a.present(0) {
				return void, api.Errorf(api.CodeInvalidArgument, "rawContent is required")
			}
			text, err := a.string(0, "rawContent")
			if err != nil {
				return void, err
			}
			return void, cl.SendTextMessage(ctx, text)
		},
		"sendFileMessage": func(ctx context.Context, a *args) (result, error) {
			f, err := a.file(0, "file")
			if err != nil {
				c.soft("sendFileMessage", err)
				return valueOf(-1), nil
			}
			id, err := cl.SendFileMessage(ctx, f.Name, f.Type, f.Data)
			if err != nil {
				c.soft("sendFileMessage", err)
				return valueOf(-1), nil
			}
			return valueOf(id), nil
		},
		"sendPreviewMessage": func(ctx context.Context, a *args) (result, error) {
			content, err := a.string(0, "content")
			if err != nil {
				return void, err
			}
			return void, cl.SendPreviewMessage(ctx, content)
		},
	}
	c.moreMethods(t)
	if c.cfg.Debug {
		// debug.panic provokes a Go panic on the call's goroutine, so a
		// test can see it become a rejection while the client keeps working.
		t["debug.panic"] = func(context.Context, *args) (result, error) {
			var m map[string]int
			//lint:ignore SA5000 the nil map write is the point: a real runtime panic.
			m["boom"]++
			return void, nil
		}
	}
	return t
}

// resultOf is the JSON result of a method returning an api object, written
// by enc (a method expression such as api.Chat.MarshalEasyJSON; see
// jsonOf for why not an interface).
func resultOf[T any](r *T, err error, enc func(T, *jwriter.Writer)) (result, error) {
	if err != nil {
		return void, err
	}
	if r == nil {
		return valueOf(nil), nil
	}
	return jsonOf(func(w *jwriter.Writer) { enc(*r, w) }), nil
}

// idAndLang reads (id: number | string, lang?: string).
func idAndLang(a *args, name string) (int64, string, error) {
	id, err := a.id(0, name)
	if err != nil {
		return 0, "", err
	}
	lang, err := a.string(1, "lang")
	return id, lang, err
}

// soft logs the error behind a documented soft failure in debug mode.
func (c *core) soft(method string, err error) {
	if err != nil {
		consoleLogger{debug: c.cfg.Debug}.Logf("%s: %v (resolved with its documented soft value)", method, err)
	}
}
