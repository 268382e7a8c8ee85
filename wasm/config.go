//go:build js && wasm

package main

import (
	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/api/jlexer"
)

// config is the part of the Client options Go needs; the loader keeps the
// functions (authenticate) and the bridge URL.
type config struct {
	CompanyID string
	Tenant    string
	Host      string
	Lang      string
	Debug     bool
}

func parseConfig(data []byte) (config, error) {
	var c config
	l := jlexer.Lexer{Data: data}
	l.Delim('{')
	for !l.IsDelim('}') && l.Ok() {
		key := l.UnsafeString()
		l.WantColon()
		if l.IsNull() {
			l.Skip()
			l.WantComma()
			continue
		}
		switch key {
		case "companyId":
			if l.CurrentToken() == jlexer.TokenString {
				c.CompanyID = l.String()
			} else {
				c.CompanyID = string(l.JsonNumber())
			}
		case "tenant":
			c.Tenant = l.String()
		case "host":
			c.Host = l.String()
		case "lang":
			c.Lang = l.String()
		case "debug":
			c.Debug = l.Bool()
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	if err := l.Error(); err != nil {
		return c, api.Errorf(api.CodeInvalidArgument, "options: %v", err)
	}
	if c.CompanyID == "" {
		return c, api.Errorf(api.CodeInvalidArgument, "options.companyId is required")
	}
	return c, nil
}
