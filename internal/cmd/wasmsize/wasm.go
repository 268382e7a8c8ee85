package main

import (
	"fmt"

	"github.com/ccaip/headless-go/internal/wasmfile"
)

// module is what wasmsize reads from a wasm binary: the size of each
// section and every defined function's body with its name.
type module struct {
	sections []section
	funcs    []function
}

type section struct {
	name string
	size int
}

type function struct {
	name string
	body []byte
}

var sectionNames = [...]string{"custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"}

// parse reads the sections of a wasm binary, the bodies of its code
// section and the function names of its "name" custom section.
func parse(b []byte) (*module, error) {
	sections, err := wasmfile.Sections(b)
	if err != nil {
		return nil, err
	}
	m := &module{}
	imported := 0
	var bodies [][]byte
	names := map[int]string{}
	for _, s := range sections {
		name := "unknown"
		if int(s.ID) < len(sectionNames) {
			name = sectionNames[s.ID]
		}
		switch s.ID {
		case wasmfile.Custom:
			r := wasmfile.NewReader(s.Data)
			custom := r.Name()
			if custom == "name" {
				names, err = wasmfile.FuncNames(s.Data[len(s.Data)-r.Len():])
			}
			name = "custom:" + custom
		case wasmfile.Import:
			imported, err = wasmfile.FuncImports(s.Data)
		case wasmfile.Code:
			bodies, err = wasmfile.Bodies(s.Data)
		case wasmfile.Data:
			var segs []wasmfile.Segment
			segs, err = wasmfile.Segments(s.Data)
			name = fmt.Sprintf("data (%d segments)", len(segs))
		}
		if err != nil {
			return nil, err
		}
		m.sections = append(m.sections, section{name, len(s.Data)})
	}
	for i, body := range bodies {
		name, ok := names[imported+i]
		if !ok {
			name = fmt.Sprintf("func[%d]", imported+i)
		}
		m.funcs = append(m.funcs, function{name, body})
	}
	return m, nil
}
