package wasmpatch

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// readWasm reads a module from testdata/wasm (made by gen.sh there).
func readWasm(t testing.TB, name string) []byte {
	t.Helper()
	code, err := os.ReadFile(filepath.Join("testdata", "wasm", name))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// instantiate runs code in a fresh runtime, compiled or interpreted.
func instantiate(t testing.TB, code []byte, interpret bool) api.Module {
	t.Helper()
	ctx := context.Background()
	cfg := wazero.NewRuntimeConfigCompiler()
	if interpret {
		cfg = wazero.NewRuntimeConfigInterpreter()
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	t.Cleanup(func() { rt.Close(ctx) })
	mod, err := rt.Instantiate(ctx, code)
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return mod
}

func mustInstrument(t testing.TB, code []byte) ([]byte, Stats) {
	t.Helper()
	out, st, err := Instrument(code)
	if err != nil {
		t.Fatalf("instrument: %v", err)
	}
	return out, st
}

// floatSelectsLeft scans every body of code for selects on floats.
func floatSelectsLeft(t testing.TB, code []byte) int {
	t.Helper()
	m, err := parseModule(code)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, body := range m.bodies {
		sites, err := m.scanBody(uint32(m.imported+i), body)
		if err != nil {
			t.Fatalf("function %d: %v", m.imported+i, err)
		}
		n += len(sites.selects)
	}
	return n
}

// TestFloatSelectBug shows the wazero bug that instrument works around, and
// that the rewrite fixes it. If wazero stops miscompiling the original, the
// select rewrite may go (see instrument).
func TestFloatSelectBug(t *testing.T) {
	code := readWasm(t, "selectbug.wasm")
	fixed, st := mustInstrument(t, code)
	if st.Selects != 20 {
		t.Errorf("rewrote %d selects, want 20", st.Selects)
	}
	const want = 240.0
	orig, interp, inst := instantiate(t, code, false), instantiate(t, code, true), instantiate(t, fixed, false)
	call := func(m api.Module, c uint32) float64 {
		res, err := m.ExportedFunction("f").Call(context.Background(), api.EncodeU32(c), api.EncodeF64(1))
		if err != nil {
			t.Fatal(err)
		}
		return api.DecodeF64(res[0])
	}
	for _, c := range []uint32{0, 1} {
		if got := call(interp, c); got != want {
			t.Errorf("interpreter: f(%d, 1) = %v, want %v", c, got, want)
		}
		if got := call(inst, c); got != want {
			t.Errorf("compiled after instrument: f(%d, 1) = %v, want %v", c, got, want)
		}
	}
	if runtime.GOARCH == "amd64" {
		if got := call(orig, 0); got == want {
			t.Errorf("wazero compiled the original correctly (f(0, 1) = %v): the bug is fixed, and instrument's select rewrite can go", got)
		} else {
			t.Logf("wazero's compiled original: f(0, 1) = %v (wrong); instrumented: %v", got, want)
		}
	}
}

// TestInstrumentKeepsMeaning compares every export of selects.wasm and
// loops.wasm, original in wazero's interpreter against instrumented and
// compiled, bit for bit on a grid of arguments.
func TestInstrumentKeepsMeaning(t *testing.T) {
	floats := []float64{0, math.Copysign(0, -1), 1.5, -3.25, math.Inf(1), math.NaN(), 1e300}
	for _, tc := range []struct {
		file           string
		selects, loops int
	}{
		{"selects.wasm", 6, 1},
		{"loops.wasm", 0, 4},
		{"selectbug.wasm", 20, 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			code := readWasm(t, tc.file)
			fixed, st := mustInstrument(t, code)
			if st.Selects != tc.selects || st.Loops != tc.loops {
				t.Errorf("rewrote %d selects and %d loops, want %d and %d", st.Selects, st.Loops, tc.selects, tc.loops)
			}
			if n := floatSelectsLeft(t, fixed); n != 0 {
				t.Errorf("%d float selects left after instrument", n)
			}
			ref, inst := instantiate(t, code, true), instantiate(t, fixed, false)
			checked := 0
			for name, def := range ref.ExportedFunctionDefinitions() {
				if name == "spin" {
					continue
				}
				for _, args := range argGrid(def.ParamTypes(), floats) {
					want, err1 := ref.ExportedFunction(name).Call(context.Background(), args...)
					got, err2 := inst.ExportedFunction(name).Call(context.Background(), args...)
					if err1 != nil || err2 != nil {
						t.Fatalf("%s%v: errors %v, %v", name, args, err1, err2)
					}
					for i := range want {
						if got[i] != want[i] {
							t.Errorf("%s%v: result %d is %#x, want %#x", name, args, i, got[i], want[i])
						}
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no export checked")
			}
		})
	}
}

// argGrid lists argument tuples: i32 from {0, 1, 2, 30}, floats from
// floats (only the first three for a second float parameter).
func argGrid(params []api.ValueType, floats []float64) [][]uint64 {
	out := [][]uint64{nil}
	seenFloat := false
	for _, p := range params {
		var vals []uint64
		switch p {
		case api.ValueTypeI32:
			vals = []uint64{0, 1, 2, 30}
		case api.ValueTypeF64:
			fs := floats
			if seenFloat {
				fs = floats[:3]
			}
			seenFloat = true
			for _, f := range fs {
				vals = append(vals, api.EncodeF64(f))
			}
		default:
			vals = []uint64{0}
		}
		var next [][]uint64
		for _, prefix := range out {
			for _, v := range vals {
				next = append(next, append(append([]uint64(nil), prefix...), v))
			}
		}
		out = next
	}
	return out
}

// TestInstrumentStopsLoops runs a loop that never ends and stops it with
// the stop global.
func TestInstrumentStopsLoops(t *testing.T) {
	fixed, _ := mustInstrument(t, readWasm(t, "loops.wasm"))
	mod := instantiate(t, fixed, false)
	stop, ok := mod.ExportedGlobal(StopExport).(api.MutableGlobal)
	if !ok {
		t.Fatalf("no mutable global %q exported", StopExport)
	}
	done := make(chan error, 1)
	go func() {
		_, err := mod.ExportedFunction("spin").Call(context.Background())
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("spin returned before it was stopped: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	// A collection stops the world, which must not wait for spin to end:
	// the loop check leaves compiled code, where Go can preempt it, every
	// tickInterval iterations. (Without that, this test hangs here.)
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	stop.Set(1)
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "unreachable") {
			t.Fatalf("stopped spin: got %v, want an unreachable trap", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("spin still running 10 s after the stop global was set")
	}
}

// TestInstrumentEdgeCases covers modules without the sections instrument
// extends, and the modules it must refuse.
func TestInstrumentEdgeCases(t *testing.T) {
	// The real modules svgai hosts, as `make setup` puts them.
	vt, err := os.ReadFile(filepath.Join("..", "tracer", "assets", "vtracer.wasm"))
	if err != nil {
		t.Fatalf("%v (run `make setup`)", err)
	}
	rs, err := os.ReadFile(filepath.Join("..", "resvg", "assets", "resvg.wasm"))
	if err != nil {
		t.Fatalf("%v (run `make setup`)", err)
	}
	empty := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	clash, _ := mustInstrument(t, empty) // exports StopExport already
	for _, tc := range []struct {
		name    string
		code    []byte
		wantErr string // "" for success
		unsup   bool
	}{
		{"empty module", empty, "", false},
		{"vtracer", vt, "", false},
		{"resvg", rs, "", false},
		{"not wasm", []byte("<svg/>"), "not a WebAssembly", false},
		{"truncated", vt[:len(vt)/2], "unexpected end", false},
		{"export clash", clash, "already exports", false},
		{"simd", readWasm(t, "simd.wasm"), "unsupported", true},
		{"loops without memory", readWasm(t, "nomem.wasm"), "without memory", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := Instrument(tc.code)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
				}
				if errors.Is(err, errUnsupported) != tc.unsup {
					t.Errorf("errors.Is(err, errUnsupported) = %v, want %v", !tc.unsup, tc.unsup)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := floatSelectsLeft(t, out); n != 0 {
				t.Errorf("%d float selects left", n)
			}
			if tc.name == "vtracer" || tc.name == "resvg" { // need their imports: their packages' tests run them
				return
			}
			mod := instantiate(t, out, false)
			if _, ok := mod.ExportedGlobal(StopExport).(api.MutableGlobal); !ok {
				t.Errorf("no mutable global %q", StopExport)
			}
		})
	}
}

// FuzzInstrument checks that instrument never panics, and that whatever
// wazero accepts, instrument either refuses as unsupported or turns into a
// module that wazero accepts too.
func FuzzInstrument(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "wasm", "*.wasm"))
	for _, p := range paths {
		code, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(code)
	}
	f.Add([]byte{0, 'a', 's', 'm', 1, 0, 0, 0})
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	f.Cleanup(func() { rt.Close(ctx) })
	f.Fuzz(func(t *testing.T, code []byte) {
		out, _, err := Instrument(code)
		if !plausibleCounts(code) {
			return // wazero's decoder would allocate for the claimed count first
		}
		cm, verr := rt.CompileModule(ctx, code)
		if verr != nil {
			return // invalid input: any error (or none) is fine, as long as no panic
		}
		cm.Close(ctx)
		if err != nil {
			if !errors.Is(err, errUnsupported) {
				t.Fatalf("wazero accepts the module but instrument fails: %v", err)
			}
			return
		}
		cm, err = rt.CompileModule(ctx, out)
		if err != nil {
			t.Fatalf("instrumented module is invalid: %v", err)
		}
		cm.Close(ctx)
	})
}

// plausibleCounts reports whether every section fits in the module and has
// room for the entries its vector count claims. wazero v1.12.0 allocates by
// the claimed sizes before reading, so a few bytes claiming a 2 GiB section
// or 100 million exports take it seconds and gigabytes to refuse; instrument
// refuses such modules at once (and runs before wazero sees the module).
func plausibleCounts(code []byte) bool {
	if len(code) < 8 {
		return true
	}
	r := &reader{b: code, pos: 8}
	for r.pos < len(code) && r.err == nil {
		id := r.byte()
		sr := &reader{b: r.vecBytes()}
		if r.err != nil {
			return false // a section longer than the module
		}
		if id == secCustom || id == 8 || id == 12 { // custom, start, data count
			continue
		}
		if n := sr.u32(); sr.err == nil && int(n) > len(sr.b) {
			return false
		}
	}
	return true
}
