package wasmpatch

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// Instrument rewrites a module before wazero compiles it, for two reasons.
// Neither changes what the module computes: the oracle tests of the modules
// svgai hosts (host/tracer's TestMatchesNode, host/resvg's agreement test)
// run the unmodified module under V8 and compare.
//
// 1. Float selects. wazero v1.12.0's amd64 compiler miscompiles `select` on
// f32 and f64 (wazero issue #2534, fixed by PR #2535 after the last
// release). It lowers it to `movsd y, tmp; xmmCMov cond, x, tmp`, and
// declares the xmmCMov to the register allocator as defining tmp without
// using it, so under register pressure the allocator may hand tmp's register
// to something else between the two, and the select yields garbage when the
// condition is false. testdata/wasm/selectbug.wat shows it in twenty lines
// (TestFloatSelectBug). In VTracer it changes the curve fitting: compiled
// with WithCloseOnContextDone, 116 of TestMatchesNode's 171 SVGs differed
// from V8's; without it none did, by luck of register allocation. Each
// float select becomes a call to an added function that picks its
// argument with if/else, which wazero lowers without xmmCMov (it does not
// inline calls, and the only other source of xmmCMov is a v128 select,
// which instrument refuses). A select only moves bits; so does a call.
//
// 2. Deadlines. wazero's own way to stop running code,
// RuntimeConfig.WithCloseOnContextDone, makes every loop iteration leave
// compiled code for a Go trampoline, which made VTracer 4.5 times slower
// (and, by spilling registers, triggered the select bug above). Instead,
// instrument adds two mutable i32 globals, $stop (exported as StopExport)
// and $tick, and puts at the start of every loop body
//
//	global.get $tick  i32.const 1  i32.sub  global.set $tick
//	global.get $tick  i32.eqz
//	if                                 ;; every tickInterval iterations:
//	  i32.const 0  memory.grow 0  drop  ;;   leave compiled code for Go
//	  global.get $stop  if unreachable end
//	  i32.const tickInterval  global.set $tick
//	end
//
// When a conversion's context is done the host sets $stop from another
// goroutine (wazero keeps a module's own globals in memory, and compiled
// code loads $stop afresh at each test: wazero carries no global's value
// into a loop) and the module traps within
// tickInterval iterations. The exit is what makes that work: Go cannot
// preempt a goroutine while it runs wazero's machine code, so a loop that
// only tested $stop would hold its thread through a garbage collector's
// stop-the-world, and the goroutine that would set $stop might never run
// (the reason wazero's trampoline exits on every iteration; see wazero PR
// #2525). memory.grow is the cheapest exit to Go a module can make without
// a new import (which would renumber every function); growing by 0 pages
// changes nothing. Code without loops ends by itself or overflows the stack.
// (Where wazero has no compiler and interprets, globals live in Go memory
// and the write is a data race that happens to work; svgai runs on amd64
// and arm64, where wazero compiles.)
//
// The rewrite appends types, functions and globals at the ends of their
// index spaces and inserts code only inside function bodies, so no index
// and no other section changes.
func Instrument(code []byte) ([]byte, Stats, error) {
	var st Stats
	m, err := parseModule(code)
	if err != nil {
		return nil, st, fmt.Errorf("wasmpatch: read wasm module: %w", err)
	}
	if slices.Contains(m.exports, StopExport) {
		return nil, st, fmt.Errorf("wasmpatch: wasm module already exports %q", StopExport)
	}

	stop, tick := uint32(len(m.globals)), uint32(len(m.globals)+1)
	check := loopCheck(stop, tick)

	// Choosers go after all functions, their types after all types.
	chooser := map[byte]uint32{}
	var newTypes, newFuncs, newBodies [][]byte
	chooserFor := func(t byte) uint32 {
		if idx, ok := chooser[t]; ok {
			return idx
		}
		idx := uint32(len(m.funcs) + len(newBodies))
		chooser[t] = idx
		newFuncs = append(newFuncs, binary.AppendUvarint(nil, uint64(len(m.types)+len(newTypes))))
		newTypes = append(newTypes, []byte{0x60, 3, t, t, valI32, 1, t})
		// (local.get 2) (if (result t) (then (local.get 0)) (else (local.get 1)))
		newBodies = append(newBodies, []byte{0, 0x20, 2, 0x04, t, 0x20, 0, 0x05, 0x20, 1, 0x0B, 0x0B})
		return idx
	}

	bodies := make([][]byte, 0, len(m.bodies))
	for i, body := range m.bodies {
		fn := uint32(m.imported + i)
		sites, err := m.scanBody(fn, body)
		if err != nil {
			return nil, st, fmt.Errorf("wasmpatch: wasm function %d: %w", fn, err)
		}
		st.Selects += len(sites.selects)
		st.Loops += len(sites.loops)
		if len(sites.loops) > 0 && m.memories == 0 {
			return nil, st, fmt.Errorf("wasmpatch: wasm function %d: %w: loops in a module without memory", fn, errUnsupported)
		}
		var nb []byte
		last := 0
		loops, sels := sites.loops, sites.selects
		for len(loops) > 0 || len(sels) > 0 {
			if len(sels) == 0 || len(loops) > 0 && loops[0] <= sels[0].at {
				nb = append(append(nb, body[last:loops[0]]...), check...)
				last = loops[0]
				loops = loops[1:]
				continue
			}
			s := sels[0]
			nb = append(append(nb, body[last:s.at]...), 0x10) // call
			nb = binary.AppendUvarint(nb, uint64(chooserFor(s.typ)))
			last = s.end
			sels = sels[1:]
		}
		bodies = append(bodies, append(nb, body[last:]...))
	}

	if len(newTypes) > 0 {
		m.setSection(secType, vec(m.typesRaw, len(m.types), newTypes...))
		m.setSection(secFunction, vec(m.funcsRaw, len(m.funcs)-m.imported, newFuncs...))
	}
	if len(m.bodies) > 0 {
		var entries [][]byte
		for _, b := range append(bodies, newBodies...) {
			entries = append(entries, append(binary.AppendUvarint(nil, uint64(len(b))), b...))
		}
		m.setSection(secCode, vec(nil, 0, entries...))
	}
	// (global $stop (mut i32) (i32.const 0)) (global $tick (mut i32) (i32.const 1))
	// (export StopExport (global $stop))
	m.setSection(secGlobal, vec(m.globalsRaw, len(m.globals)-m.importedGlobals,
		[]byte{valI32, 1, 0x41, 0, 0x0B}, []byte{valI32, 1, 0x41, 1, 0x0B}))
	m.setSection(secExport, vec(m.exportsRaw, len(m.exports),
		binary.AppendUvarint(append(name(StopExport), exportGlobal), uint64(stop))))
	return m.encode(), st, nil
}

// StopExport is the name under which Instrument exports its stop global:
// once the host sets it to a non-zero value, the module traps at its next
// loop check.
const StopExport = "svgai_stop"

// tickInterval is how many loop iterations run between exits to Go. An exit
// costs about as much as a hundred iterations of a small loop, and this
// many iterations take well under a millisecond (our choice).
const tickInterval = 1 << 16

// loopCheck is the code instrument puts at the start of every loop body.
func loopCheck(stop, tick uint32) []byte {
	get := func(b []byte, g uint32) []byte { return binary.AppendUvarint(append(b, 0x23), uint64(g)) }
	set := func(b []byte, g uint32) []byte { return binary.AppendUvarint(append(b, 0x24), uint64(g)) }
	b := get(nil, tick)
	b = append(b, 0x41, 1, 0x6B) // i32.const 1, i32.sub
	b = set(b, tick)
	b = get(b, tick)
	b = append(b, 0x45, 0x04, 0x40)       // i32.eqz, if
	b = append(b, 0x41, 0, 0x40, 0, 0x1A) // i32.const 0, memory.grow 0, drop
	b = get(b, stop)
	b = append(b, 0x04, 0x40, 0x00, 0x0B) // if unreachable end
	b = appendS32(append(b, 0x41), tickInterval)
	b = set(b, tick)
	return append(b, 0x0B) // end
}

// Stats counts what Instrument changed.
type Stats struct {
	Selects int // float selects turned into calls
	Loops   int // loop headers given a stop check
}
