// Command demo runs the local platform together with a demo site: the
// landing page, pages that use the SDK, the built SDK files and a token
// endpoint that stands in for a customer's backend.
//
//	go run ./demo -addr 127.0.0.1:8080 -data .data/demo -dist dist
//
// The demo pages use http://localhost:<port> as the platform host while being
// served from http://127.0.0.1:<port>, so the communication iframe is on
// another origin than the page, as it is in production.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ccaip/headless-go/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	data := flag.String("data", ".data/demo", "data directory (SQLite database, media, mail outbox)")
	dist := flag.String("dist", "dist", "directory of the built SDK (./build.sh build)")
	companyFile := flag.String("company", "", "JSON file overriding the demo company's configuration")
	autoAgent := flag.Bool("auto-agent", false, "let a simulated human agent (agent 2) accept escalated chats and answer")
	flag.Parse()

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := run(*addr, *data, *dist, *companyFile, *autoAgent, log); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(addr, data, dist, companyFile string, autoAgent bool, log *slog.Logger) error {
	company := server.DefaultCompany()
	if companyFile != "" {
		c, err := server.LoadCompanyFile(companyFile)
		if err != nil {
			return err
		}
		company = c
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return err
	}
	cfg := server.Config{DataDir: data, Company: company, Logger: log}
	if autoAgent {
		// Agent 1 stays free for a person in the console.
		cfg.AutoAgent = server.AutoAgent{Enabled: true, AgentID: 2}
	}
	platform, err := server.New(cfg)
	if err != nil {
		return err
	}
	defer platform.Close()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	site := newSite(dist, platform.Handler(), log)
	hs := platform.HTTPServer(site) // read, write and idle timeouts, header size limit

	port := ln.Addr().(*net.TCPAddr).Port
	fmt.Printf(`
  demo site        http://127.0.0.1:%[1]d/
  platform host    http://localhost:%[1]d   (end-user API %[2]s, REST API /apps/api/v1, bridge /bridge/bridge.html)
  agent console    http://127.0.0.1:%[1]d/agent   (sign in: subdomain %[4]s, token below, agent 1)
  token endpoint   POST http://127.0.0.1:%[1]d/demo/token
  company          id %[3]q, tenant %[4]q
  REST API auth    %[4]s : %[5]s
  company secret   %[6]s
  data directory   %[7]s

`, port, "/enduser/v1", server.DemoCompanyID, server.DemoTenant, server.DemoAPIToken, server.DemoSecret, data)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Info("shutting down")
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return hs.Shutdown(shutdown)
	}
	return nil
}
