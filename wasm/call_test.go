//go:build js && wasm

package main

import (
	"strings"
	"testing"

	"github.com/ccaip/headless-go/api"
)

// TestEmptyListsReachJSAsArrays: a result or event whose lists are nil
// (the platform's JSON said null, or nothing) carries [] to JavaScript,
// as the documented types say.
func TestEmptyListsReachJSAsArrays(t *testing.T) {
	r := jsonOf(api.ChatHistoryResponse{}.MarshalEasyJSON)
	s, _ := r.value.(string)
	for _, want := range []string{`"chats":[]`, `"missing_chat_ids":[]`} {
		if !strings.Contains(s, want) {
			t.Errorf("getChatHistory result %s lacks %s", s, want)
		}
	}
	r = jsonOf(api.CompanyResponse{}.MarshalEasyJSON)
	if s, _ := r.value.(string); !strings.Contains(s, `"languages":[]`) {
		t.Errorf("getCompany result %s: languages not []", s)
	}
}
