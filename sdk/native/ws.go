package native

import (
	"context"
	"net/http"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/coder/websocket"
)

// WSDialer opens realtime connections with coder/websocket.
type WSDialer struct {
	// HTTPClient, when set, carries the handshake.
	HTTPClient *http.Client
	// Origin, when set, is sent on the handshake, as a browser would.
	Origin string
}

var _ sdk.Dialer = (*WSDialer)(nil)

// Dial connects to a realtime URL.
func (d *WSDialer) Dial(ctx context.Context, url string) (sdk.Conn, error) {
	opts := &websocket.DialOptions{HTTPClient: d.HTTPClient}
	if d.Origin != "" {
		opts.HTTPHeader = http.Header{"Origin": {d.Origin}}
	}
	c, resp, err := websocket.Dial(ctx, url, opts)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return nil, &api.Error{Code: api.CodeUnavailable, Message: "dial realtime: " + err.Error(), Retryable: true, Status: status}
	}
	c.SetReadLimit(4 << 20)
	return wsConn{c}, nil
}

type wsConn struct{ c *websocket.Conn }

func (w wsConn) Read(ctx context.Context) ([]byte, error) {
	_, b, err := w.c.Read(ctx)
	return b, err
}

func (w wsConn) Close() error { return w.c.CloseNow() }
