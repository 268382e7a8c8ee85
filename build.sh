#!/usr/bin/env bash
# The one entry point of the project.
#
#   ./build.sh build   compile the wasm client into dist/ with .br/.gz beside it
#   ./build.sh pack    build, then pack the npm package (npm/) into dist/npm/*.tgz
#   ./build.sh consumers  pack, then build the example apps (examples/) from it
#   ./build.sh demo    build, then run the demo on the embedded local platform
#   ./build.sh test    every check CI makes (installs what is missing itself)
#   ./build.sh bench   the benchmarks (see bench/)
#   ./build.sh parity  the parity kit: --loader URL, --diff a.json b.json (parity/README.md)
#
# Environment: CHROMIUM (default /usr/bin/chromium), ADDR (demo address,
# default 127.0.0.1:8080), DATA (demo data directory, default .data/demo).
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
export PATH="$root/.tools/bin:$(go env GOPATH)/bin:$PATH"
goroot=$(go env GOROOT)
wasm_exec="$goroot/lib/wasm/wasm_exec.js"
[ -f "$wasm_exec" ] || wasm_exec="$goroot/misc/wasm/wasm_exec.js"

staticcheck_version=v0.8.2

step() { printf '\n==> %s\n' "$*"; }

# build compiles wasm/ into dist/ and copies the browser files. It does
# nothing when dist/ is newer than every input.
build() {
	mkdir -p dist
	local stamp=dist/.stamp
	if [ -f "$stamp" ] && [ -z "$(find api sdk wasm js internal/wasmbuild internal/wasmfile go.mod go.sum -newer "$stamp" -print -quit 2>/dev/null)" ]; then
		echo "dist/ is up to date"
		return
	fi
	step "build dist/ccaip.wasm"
	go run ./internal/cmd/wasmbuild -o dist/ccaip.wasm ./wasm # flags: internal/wasmbuild
	go run ./internal/cmd/compress dist/ccaip.wasm
	cp "$wasm_exec" dist/wasm_exec.js
	cp js/*.js js/*.css js/*.d.ts js/*.html dist/
	rm -f dist/usage-test.*
	touch "$stamp"
	ls -l dist/ccaip.wasm*
}

# pack stages the npm package (npm/package.json and README.md, the built
# browser files) in dist/npm/package and packs it with npm pack into
# dist/npm/<name>-<version>.tgz; it prints the tarball's path last.
pack() {
	build
	step "npm pack (npm/ → dist/npm/)"
	local stage=dist/npm/package
	rm -rf dist/npm
	mkdir -p "$stage"
	cp npm/package.json npm/README.md "$stage/"
	cp dist/loader.js dist/early-signin.js dist/widget.js dist/widget-strings.js dist/widget.css dist/wasm_exec.js dist/ccaip.wasm dist/index.d.ts dist/widget.d.ts "$stage/"
	cp "$goroot/LICENSE" "$stage/wasm_exec.LICENSE"
	chmod 644 "$stage"/*
	(cd dist/npm && npm pack --silent ./package >/dev/null)
	ls dist/npm/*.tgz
}

# consumers installs the packed tarball into examples/ (offline, beside the
# toolchains pinned in examples/package-lock.json), builds every example app
# with its own bundler, type-checks the strict TypeScript consumer and
# imports the package in Node as a server renderer would. The browser tests
# (browsertest/consumers_test.go) then chat through each build.
consumers() {
	pack
	local tgz
	tgz=$(ls dist/npm/*.tgz)
	if [ ! -d examples/node_modules ] || [ examples/package-lock.json -nt examples/node_modules/.package-lock.json ]; then
		step "npm ci (examples/: vite, webpack, esbuild, react, typescript)"
		(cd examples && npm ci --no-audit --no-fund)
	fi
	step "npm install $tgz into examples/ (offline)"
	(cd examples && npm install --no-save --offline --no-audit --no-fund "../$tgz")
	step "build the example apps from the package (vite, webpack, esbuild, react)"
	(cd examples && npm run --silent build)
	step "strict TypeScript consumer (bundler, node16) and the SSR import"
	(cd examples && npm run --silent check)
}

ensure_staticcheck() {
	if ! command -v staticcheck >/dev/null || ! staticcheck -version 2>/dev/null | grep -q "${staticcheck_version#v}"; then
		step "install staticcheck $staticcheck_version"
		GOBIN="$root/.tools/bin" go install "honnef.co/go/tools/cmd/staticcheck@$staticcheck_version"
	fi
}

ensure_chromium() {
	export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
	if [ ! -x "$CHROMIUM" ]; then
		step "install chromium (Debian)"
		if [ "$(id -u)" != 0 ]; then
			echo "chromium is missing and I am not root: install Debian's chromium or set CHROMIUM" >&2
			exit 1
		fi
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	fi
	"$CHROMIUM" --version
}

ensure_npm() {
	if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		step "npm ci"
		npm ci --no-audit --no-fund
	fi
}

test_all() {
	local t0=$SECONDS
	ensure_staticcheck
	ensure_chromium
	ensure_npm

	step "gofmt"
	local unformatted
	unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*'))
	if [ -n "$unformatted" ]; then
		echo "not gofmt'ed:" >&2
		echo "$unformatted" >&2
		exit 1
	fi

	step "go mod tidy -diff (go.mod and go.sum are tidy)"
	go mod tidy -diff

	step "go vet (native and js/wasm)"
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./api/... ./sdk ./wasm/...

	step "staticcheck (native and js/wasm)"
	staticcheck ./...
	GOOS=js GOARCH=wasm staticcheck ./api/... ./sdk ./wasm/...

	step "go test -race (native)"
	go test -race -count=1 ./...

	step "go test (js/wasm under Node)"
	GOOS=js GOARCH=wasm go test -count=1 -exec="$goroot/lib/wasm/go_js_wasm_exec" ./api/... ./sdk ./wasm/...

	step "tsc --noEmit (js/index.d.ts + usage file)"
	npx --no-install tsc -p js/tsconfig.json

	consumers

	step "browser tests (headless Chromium) and the parity kit's own test"
	go test -tags browser -count=1 -timeout 15m ./browsertest/... ./parity/...

	# The suite above runs the default core ('auto': a SharedWorker here).
	# The fallbacks run the main flows again, chosen by the bridge's own
	# detection: SharedWorker removed (→ a dedicated worker), workers
	# blocked by the bridge page's policy (→ the in-page core); and the
	# in-page core forced (core: 'page', the start that overlaps sign-in
	# with the download).
	local flows='TestSmoke$|TestFullFlow|TestReloadRestoresChat|TestEveryMethod|TestDestroyLeavesNothing|TestAuthenticationAtStart|TestForgedMessagesIgnored|TestPanicBecomesRejection'
	step "browser tests, fallback core: no SharedWorker (dedicated worker)"
	CCAIP_DISABLE=shared go test -tags browser -count=1 -timeout 10m -run "$flows" ./browsertest/
	step "browser tests, fallback core: workers blocked (in the page)"
	CCAIP_DISABLE=workers go test -tags browser -count=1 -timeout 10m -run "$flows" ./browsertest/
	step "browser tests, core: 'page' forced"
	CCAIP_CORE=page go test -tags browser -count=1 -timeout 10m -run "$flows" ./browsertest/

	step "all checks passed in $((SECONDS - t0))s"
}

demo() {
	build
	local addr=${ADDR:-127.0.0.1:8080} data=${DATA:-.data/demo}
	step "demo on http://$addr/ (data in $data)"
	exec go run ./demo -addr "$addr" -data "$data" -dist dist ${AUTO_AGENT:+-auto-agent}
}

bench() {
	consumers # the package benchmark measures the Vite example's build
	exec go run ./bench "$@"
}

# parity runs the parity kit; a --diff of two results files needs no build.
parity() {
	case " $* " in
	*" --diff "* | *" -diff "*) exec go run ./parity "$@" ;;
	esac
	build
	ensure_chromium >/dev/null
	ensure_npm
	exec go run ./parity "$@"
}

case ${1:-} in
build) build ;;
pack) pack ;;
consumers) consumers ;;
test) test_all ;;
demo) demo ;;
bench) shift; bench "$@" ;;
parity) shift; parity "$@" ;;
*)
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
