package native_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/ccaip/headless-go/api"
	"github.com/ccaip/headless-go/sdk"
	"github.com/ccaip/headless-go/sdk/native"
	"github.com/ccaip/headless-go/server"
)

// A Go program that signs an end user in, opens a chat, sends a message,
// reads the virtual agent's answer and ends the chat. Here the local
// platform runs in-process; against a real one, host is its URL and the
// token comes from the company's backend.
func Example() {
	host, stop := startPlatform()
	defer stop()

	client, err := sdk.New(sdk.Config{
		CompanyID:    server.DemoCompanyID,
		Tenant:       server.DemoTenant,
		Host:         host,
		Lang:         "en",
		Authenticate: func(context.Context) (string, error) { return endUserToken("example-user") },
		Communicator: native.NewHTTPCommunicator(host, nil),
		Dialer:       &native.WSDialer{},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	// Listeners run on the client's event goroutine: hand messages over.
	messages := make(chan *api.Message, 64)
	client.On(sdk.EventChatMessage, func(p any) {
		select {
		case messages <- p.(*api.Message):
		default:
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := client.CreateChat(ctx, 123, api.ChatRequest{}); err != nil {
		log.Fatal(err)
	}
	if err := client.SendTextMessage(ctx, "hello"); err != nil {
		log.Fatal(err)
	}
	sent := false
	for !sent {
		select {
		case m := <-messages:
			if m.UserType == api.UserEndUser && m.Content == "hello" {
				fmt.Println("sent:", m.Content)
				sent = true
			}
		case <-ctx.Done():
			log.Fatal("no echo of the message")
		}
	}
	for answered := false; !answered; {
		select {
		case m := <-messages:
			answered = m.UserType == api.UserVirtualAgent
		case <-ctx.Done():
			log.Fatal("no answer from the virtual agent")
		}
	}
	fmt.Println("the virtual agent answered")
	if err := client.FinishChat(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("chat finished")
	// Output:
	// sent: hello
	// the virtual agent answered
	// chat finished
}

// startPlatform runs the local platform on a loopback port with its data in
// a temporary directory.
func startPlatform() (host string, stop func()) {
	dir, err := os.MkdirTemp("", "ccaip-example-")
	if err != nil {
		log.Fatal(err)
	}
	srv, err := server.New(server.Config{DataDir: dir, VADelay: 10 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	return ts.URL, func() {
		ts.CloseClientConnections()
		ts.Close()
		srv.Close()
		os.RemoveAll(dir)
	}
}

// endUserToken signs the end user's JWT as the company's backend does
// (HS256 with the company secret; iss, iat, exp, identifier).
func endUserToken(identifier string) (string, error) {
	now := time.Now()
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": server.DemoCompanyID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "identifier": identifier,
	}).SignedString([]byte(server.DemoSecret))
}
