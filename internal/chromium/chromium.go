// Package chromium holds the one set of flags the project starts headless
// Chromium with (the browser tests, the benchmarks, the parity kit): a
// fresh profile, no sandbox, no GPU, none of the background traffic that
// would disturb a measurement or reach the network.
package chromium

import "github.com/chromedp/chromedp"

// Binary is the default browser: Debian's chromium.
const Binary = "/usr/bin/chromium"

// Options are the allocator options for binary (Binary when empty) with
// its profile in profile, followed by extra.
func Options(binary, profile string, extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	if binary == "" {
		binary = Binary
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(binary),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(profile),
	}
	return append(opts, extra...)
}
