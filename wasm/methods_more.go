//go:build js && wasm

package main

import (
	"context"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
	"github.com/ccaip/headless-go/api/jwriter"
	"github.com/ccaip/headless-go/sdk"
)

// kindJSONFile is {json, file}: a JSON result with one File (getPdfStatus's
// PDF once ready); the loader sets result.body to the File.
const kindJSONFile = 5

// moreMethods adds the chat-after-creation, transcript, survey, email,
// screen-share and post-session methods to t.
func (c *core) moreMethods(t map[string]method) {
	cl := c.client
	t["getChatDeflection"] = func(ctx context.Context, a *args) (result, error) {
		r, err := cl.GetChatDeflection(ctx)
		return resultOf(r, err, api.ChatDeflectionResponse.MarshalEasyJSON)
	}
	t["sendChatTranscripts"] = func(ctx context.Context, a *args) (result, error) {
		emails, err := a.strings(0, "emails")
		if err != nil {
			return void, err
		}
		return void, cl.SendChatTranscripts(ctx, emails)
	}
	t["downloadChatTranscript"] = func(ctx context.Context, a *args) (result, error) {
		r, err := cl.DownloadChatTranscript(ctx)
		return resultOf(r, err, api.GenerateTranscriptResponse.MarshalEasyJSON)
	}
	t["getPdfStatus"] = func(ctx context.Context, a *args) (result, error) {
		id, err := a.id(0, "id")
		if err != nil {
			return void, err
		}
		r, err := cl.GetPdfStatus(ctx, id)
		if err != nil {
			return void, err
		}
		w := jwriter.Writer{Flags: jsFlags}
		w.RawString(`{"headers":{`)
		first := true
		for k, v := range r.Headers {
			if !first {
				w.RawByte(',')
			}
			first = false
			w.String(k)
			w.RawByte(':')
			w.String(v)
		}
		w.RawString(`},"data":`)
		r.Data.MarshalEasyJSON(&w)
		w.RawByte('}')
		js, _ := w.BuildBytes()
		if len(r.Body) == 0 {
			return result{kind: kindJSON, value: string(js)}, nil
		}
		file := fileResult{Name: "transcript-" + itoa(id) + ".pdf", Type: "application/pdf", Data: r.Body}
		return result{kind: kindJSONFile, value: map[string]any{"json": string(js), "file": jsValue(file)}}, nil
	}
	// sendTyping backs Chat.startTyping (1) and Chat.stopTyping (0).
	t["sendTyping"] = func(ctx context.Context, a *args) (result, error) {
		typing, err := a.int(0, "typing", 0)
		if err != nil {
			return void, err
		}
		return void, cl.SendTyping(ctx, typing != 0)
	}
	// sendNoti backs Chat.sendMessage({type: 'noti', event, content}).
	t["sendNoti"] = func(ctx context.Context, a *args) (result, error) {
		event, err := a.string(0, "event")
		if err != nil {
			return void, err
		}
		content, err := a.string(1, "content")
		if err != nil {
			return void, err
		}
		if event == "" {
			return void, api.Errorf(api.CodeInvalidArgument, "a noti message needs its event")
		}
		_, err = cl.SendMessage(ctx, sdk.OutgoingMessage{Noti: event, Text: content})
		return void, err
	}
	t["getChatSurvey"] = func(ctx context.Context, a *args) (result, error) {
		r, err := cl.GetChatSurvey(ctx)
		return resultOf(r, err, api.ChatSurveyResponse.MarshalEasyJSON)
	}
	t["sendChatSurvey"] = func(ctx context.Context, a *args) (result, error) {
		var answers api.SurveyAnswers
		if err := a.object(0, "answers", answers.UnmarshalEasyJSON); err != nil {
			return void, err
		}
		return void, cl.SendChatSurvey(ctx, answers)
	}
	t["sendChatRate"] = func(ctx context.Context, a *args) (result, error) {
		var req api.RateRequest
		if !a.present(0) {
			return void, api.Errorf(api.CodeInvalidArgument, "data is required")
		}
		if err := a.object(0, "data", req.UnmarshalEasyJSON); err != nil {
			return void, err
		}
		return void, cl.SendChatRate(ctx, req)
	}
	t["escalateChat"] = func(ctx context.Context, a *args) (result, error) {
		var req *api.EscalateRequest
		if a.present(0) {
			req = &api.EscalateRequest{}
			if err := a.object(0, "data", req.UnmarshalEasyJSON); err != nil {
				return void, err
			}
		}
		_, err := cl.EscalateChat(ctx, req)
		return void, err
	}
	t["trackChatEscalation"] = func(ctx context.Context, a *args) (result, error) {
		id, err := a.id(0, "escalationId")
		if err != nil {
			return void, err
		}
		channel, err := a.string(1, "channel")
		if err != nil {
			return void, err
		}
		return void, cl.TrackChatEscalation(ctx, id, channel)
	}
	t["trackChatEndUserEvent"] = func(ctx context.Context, a *args) (result, error) {
		var req api.ChatEndUserEventRequest
		if err := a.object(0, "data", req.UnmarshalEasyJSON); err != nil {
			return void, err
		}
		return void, cl.TrackChatEndUserEvent(ctx, req)
	}
	t["getChatHistory"] = func(ctx context.Context, a *args) (result, error) {
		page, err := a.int(0, "page", 0)
		if err != nil {
			return void, err
		}
		r, err := cl.GetChatHistory(ctx, page)
		return resultOf(r, err, api.ChatHistoryResponse.MarshalEasyJSON)
	}
	t["createEmail"] = func(ctx context.Context, a *args) (result, error) {
		menuID, err := a.id(0, "menuId")
		if err != nil {
			return void, err
		}
		var req api.EmailRequest
		if err := a.object(1, "data", req.UnmarshalEasyJSON); err != nil {
			return void, err
		}
		files := make([]sdk.File, len(a.files))
		for i, f := range a.files {
			files[i] = sdk.File{Name: f.Name, ContentType: f.Type, Data: f.Data}
		}
		r, err := cl.CreateEmail(ctx, menuID, req, files)
		return resultOf(r, err, api.EmailResponse.MarshalEasyJSON)
	}
	t["createCobrowseCode"] = func(ctx context.Context, a *args) (result, error) {
		lang, err := a.string(0, "lang")
		if err != nil {
			return valueOf(""), nil
		}
		custom, err := a.stringMap(1, "customData")
		if err != nil {
			c.soft("createCobrowseCode", err)
			return valueOf(""), nil
		}
		code, err := cl.CreateCobrowseCode(ctx, lang, custom)
		if err != nil {
			c.soft("createCobrowseCode", err)
			return valueOf(""), nil
		}
		return valueOf(code), nil
	}
	t["startCobrowse"] = func(ctx context.Context, a *args) (result, error) {
		from, err := a.string(0, "from")
		if err != nil {
			return void, err
		}
		_, err = cl.StartCobrowse(ctx, from)
		return void, err
	}
	t["getMessageAttachment"] = func(ctx context.Context, a *args) (result, error) {
		var m api.Message
		if err := a.object(0, "message", m.UnmarshalEasyJSON); err != nil || !a.present(0) {
			c.soft("getMessageAttachment", err)
			return valueOf(nil), nil
		}
		f, err := cl.GetMessageAttachment(ctx, &m)
		if err != nil || f == nil {
			c.soft("getMessageAttachment", err)
			return valueOf(nil), nil
		}
		return result{kind: kindFile, value: fileResult{Name: f.Name, Type: f.ContentType, Data: f.Data}}, nil
	}
	t["updatePostSession"] = func(ctx context.Context, a *args) (result, error) {
		status, err := a.string(0, "postSessionStatus")
		if err != nil {
			return void, err
		}
		return void, cl.UpdatePostSession(ctx, status)
	}
}

// strings returns argument i as a []string.
func (a *args) strings(i int, name string) ([]string, error) {
	if !a.present(i) {
		return nil, api.Errorf(api.CodeInvalidArgument, "%s is required", name)
	}
	l := jlexer.Lexer{Data: a.raw[i]}
	if l.CurrentToken() != jlexer.TokenDelim {
		return nil, api.Errorf(api.CodeInvalidArgument, "%s must be an array of strings", name)
	}
	var out []string
	l.Delim('[')
	for !l.IsDelim(']') && l.Ok() {
		out = append(out, l.String())
		l.WantComma()
	}
	l.Delim(']')
	if err := l.Error(); err != nil {
		return nil, api.Errorf(api.CodeInvalidArgument, "%s must be an array of strings", name)
	}
	return out, nil
}

// stringMap returns argument i as a Record<string, string>, nil when absent.
func (a *args) stringMap(i int, name string) (map[string]string, error) {
	if !a.present(i) {
		return nil, nil
	}
	l := jlexer.Lexer{Data: a.raw[i]}
	if l.CurrentToken() != jlexer.TokenDelim {
		return nil, api.Errorf(api.CodeInvalidArgument, "%s must be an object of strings", name)
	}
	out := map[string]string{}
	l.Delim('{')
	for !l.IsDelim('}') && l.Ok() {
		k := l.String()
		l.WantColon()
		out[k] = l.String()
		l.WantComma()
	}
	l.Delim('}')
	if err := l.Error(); err != nil {
		return nil, api.Errorf(api.CodeInvalidArgument, "%s must be an object of strings", name)
	}
	return out, nil
}
