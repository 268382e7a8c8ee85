// Command tiny is the program the tests of wasmbuild and wasmsize build:
// a table with runs of zeros (so the linker writes many data segments)
// and a sum over it that shows whether memory was initialised right.
package main

import "os"

type entry struct {
	name string
	pad  [40]byte
	n    int
}

var table = []entry{{name: "a", n: 1}, {name: "bb", n: 20}, {name: "ccc", n: 300}, {name: "dddd", n: 4000}}

func main() {
	sum := 0
	for _, e := range table {
		sum += e.n * len(e.name)
	}
	os.Stdout.WriteString("tiny " + itoa(sum) + "\n")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
