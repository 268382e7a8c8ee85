// Command parity is the parity kit: a conformance suite for any loader
// that exports the headless web SDK's Client. It calls every documented
// example of the API in headless Chromium against a platform, checks each
// result and event payload field by field against js/index.d.ts, prints a
// table and writes JSON; two runs' JSON can be diffed. See parity/README.md.
//
//	./build.sh parity                             # our loader, local platform
//	./build.sh parity --loader URL [--host URL --company ID --tenant T --secret S]
//	./build.sh parity --diff a.json b.json
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	var o Options
	var out, diffA string
	flag.StringVar(&o.Loader, "loader", "", "URL of the ES module exporting Client (default: ours, from the local platform)")
	flag.StringVar(&o.Host, "host", "", "the platform (default: the local platform, started in-process)")
	flag.StringVar(&o.Company, "company", "", "company id on --host")
	flag.StringVar(&o.Tenant, "tenant", "", "tenant on --host")
	flag.StringVar(&o.Secret, "secret", "", "company secret on --host (signs the end users' JWTs)")
	flag.IntVar(&o.Menu, "menu", 0, "chat menu id (default: the first menu offering chat)")
	flag.BoolVar(&o.Strict, "strict", false, "also require what index.d.ts tags @extension (this SDK's additions)")
	flag.StringVar(&o.Repo, "repo", ".", "the module root")
	flag.StringVar(&o.Dist, "dist", "dist", "the built SDK (./build.sh build)")
	flag.StringVar(&o.SiteAddr, "site", "", "host:port of the kit's page (default: a free loopback port; fix it for a platform that allow-lists origins)")
	flag.StringVar(&o.Chromium, "chromium", os.Getenv("CHROMIUM"), "Chromium binary (default /usr/bin/chromium)")
	flag.DurationVar(&o.Timeout, "timeout", 5*time.Minute, "bound on the whole run")
	flag.StringVar(&out, "json", "parity-results.json", "where to write the JSON results")
	flag.StringVar(&diffA, "diff", "", "compare two results files: --diff a.json b.json")
	verbose := flag.Bool("v", false, "print the page's console")
	flag.Parse()

	if diffA != "" {
		if flag.NArg() != 1 {
			fmt.Fprintln(os.Stderr, "usage: parity --diff a.json b.json")
			os.Exit(2)
		}
		os.Exit(diffFiles(diffA, flag.Arg(0)))
	}
	if *verbose {
		o.Log = func(s string) { fmt.Fprintln(os.Stderr, "console:", s) }
	}
	if o.Host != "" && (o.Company == "" || o.Secret == "") {
		fmt.Fprintln(os.Stderr, "parity: --host needs --company and --secret (and --tenant when the platform has one)")
		os.Exit(2)
	}
	rep, err := Run(context.Background(), o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "parity:", err)
		os.Exit(1)
	}
	rep.WriteTable(os.Stdout)
	if out != "" {
		if err := rep.WriteJSON(out); err != nil {
			fmt.Fprintln(os.Stderr, "parity:", err)
			os.Exit(1)
		}
		fmt.Println("results:", out)
	}
	if rep.Fail > 0 {
		os.Exit(1)
	}
}

func diffFiles(a, b string) int {
	ra, err := ReadReport(a)
	if err != nil {
		fmt.Fprintln(os.Stderr, "parity:", err)
		return 2
	}
	rb, err := ReadReport(b)
	if err != nil {
		fmt.Fprintln(os.Stderr, "parity:", err)
		return 2
	}
	d := Diff(ra, rb)
	fmt.Printf("a: %s (%d pass, %d fail)\nb: %s (%d pass, %d fail)\n", ra.Loader, ra.Pass, ra.Fail, rb.Loader, rb.Pass, rb.Fail)
	if len(d) == 0 {
		fmt.Println("no differences")
		return 0
	}
	for _, line := range d {
		fmt.Println(line)
	}
	return 1
}
