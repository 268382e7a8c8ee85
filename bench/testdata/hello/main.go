//go:build js && wasm

// Command hello is the floor of the size and cold-start benchmarks: the
// smallest Go program that touches syscall/js. It tells the page it runs,
// then stays alive like the SDK does.
package main

import "syscall/js"

func main() {
	js.Global().Call("__helloReady")
	select {}
}
