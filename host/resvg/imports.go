package resvg

import (
	"bytes"
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// The JavaScript values the module's imports make and take. The module
// sees them only as heap indices (see heap.go).
type (
	jsUndefined struct{}
	jsNull      struct{}
	// jsError is an Error object.
	jsError struct{ msg string }
	// jsMemory is the module's WebAssembly.Memory, jsBuffer its buffer.
	jsMemory struct{}
	jsBuffer struct{}
	// jsView is a Uint8Array over the module's memory.
	jsView struct{ off, n uint32 }
	// jsArray is an Array; a Uint8Array that owns its bytes is a []byte.
	jsArray struct{ items []any }
	// jsIter iterates an Array (Array.prototype.values), jsStep is what
	// its next() returns.
	jsIter struct {
		arr *jsArray
		i   int
	}
	jsStep struct {
		done  bool
		value any
	}
)

// jsException is a JavaScript exception thrown by an import. The host
// function panics with it; wazero unwinds the module and returns it,
// wrapped, from Call, as a throw would unwind the call in JavaScript.
type jsException struct{ msg string }

func (e *jsException) Error() string { return "JavaScript exception: " + e.msg }

func throw(format string, args ...any) { panic(&jsException{fmt.Sprintf(format, args...)}) }

const i32 = api.ValueTypeI32

// wbgImport is the host side of one import of the "wbg" module.
type wbgImport struct {
	params, results int // how many i32s
	fn              func(ctx context.Context, in *instance, s []uint64)
}

// wbgImports returns the 18 imports of @resvg/resvg-wasm@2.6.2, keyed by
// their exact names (the hex suffix is wasm-bindgen's hash of the
// JavaScript snippet). Each does what the same-named function of the
// package's index.js does, for the values this package hands the module:
// the SVG as a Uint8Array, options as a string, no font buffers. i32
// arguments are truncated to 32 bits: the upper half of a stack slot is
// not guaranteed to be zero.
func wbgImports() map[string]wbgImport {
	return map[string]wbgImport{
		"__wbg_new_28c511d9baebfa89": {2, 1, func(_ context.Context, in *instance, s []uint64) {
			msg := in.readString(uint32(s[0]), uint32(s[1]))
			s[0] = uint64(in.add(&jsError{msg}))
		}},
		"__wbindgen_memory": {0, 1, func(_ context.Context, in *instance, s []uint64) {
			s[0] = uint64(in.add(jsMemory{}))
		}},
		"__wbg_buffer_12d079cc21e14bdb": {1, 1, func(_ context.Context, in *instance, s []uint64) {
			if _, ok := in.get(uint32(s[0])).(jsMemory); !ok {
				throw("TypeError: buffer of a value that is not the module's memory")
			}
			s[0] = uint64(in.add(jsBuffer{}))
		}},
		"__wbg_newwithbyteoffsetandlength_aa4a17c33a06e5cb": {3, 1, func(_ context.Context, in *instance, s []uint64) {
			if _, ok := in.get(uint32(s[0])).(jsBuffer); !ok {
				throw("TypeError: Uint8Array over a value that is not the module's memory buffer")
			}
			off, n := uint32(s[1]), uint32(s[2])
			if uint64(off)+uint64(n) > uint64(in.mem.Size()) {
				throw("RangeError: Invalid typed array length: %d at offset %d", n, off)
			}
			s[0] = uint64(in.add(jsView{off, n}))
		}},
		"__wbindgen_object_drop_ref": {1, 0, func(_ context.Context, in *instance, s []uint64) {
			in.drop(uint32(s[0]))
		}},
		// new Uint8Array(x): a view of an ArrayBuffer, a copy of a Uint8Array.
		"__wbg_new_63b92bc8671ed464": {1, 1, func(_ context.Context, in *instance, s []uint64) {
			switch v := in.get(uint32(s[0])).(type) {
			case jsBuffer:
				s[0] = uint64(in.add(jsView{0, in.mem.Size()}))
			default:
				s[0] = uint64(in.add(bytes.Clone(in.bytesOf(v))))
			}
		}},
		"__wbg_values_839f3396d5aac002": {1, 1, func(_ context.Context, in *instance, s []uint64) {
			arr, ok := in.get(uint32(s[0])).(*jsArray)
			if !ok {
				throw("TypeError: values() of a value that is not an Array")
			}
			s[0] = uint64(in.add(&jsIter{arr: arr}))
		}},
		"__wbg_next_196c84450b364254": {1, 1, func(_ context.Context, in *instance, s []uint64) {
			it, ok := in.get(uint32(s[0])).(*jsIter)
			if !ok {
				throw("TypeError: next() of a value that is not an iterator")
			}
			step := &jsStep{done: it.i >= len(it.arr.items)}
			if step.done {
				step.value = jsUndefined{}
			} else {
				step.value = it.arr.items[it.i]
				it.i++
			}
			s[0] = uint64(in.add(step))
		}},
		"__wbg_done_298b57d23c0fc80c": {1, 1, func(_ context.Context, in *instance, s []uint64) {
			step, _ := in.get(uint32(s[0])).(*jsStep)
			s[0] = b2u(step != nil && step.done)
		}},
		"__wbg_value_d93c65011f51a456": {1, 1, func(_ context.Context, in *instance, s []uint64) {
			var v any = jsUndefined{}
			if step, ok := in.get(uint32(s[0])).(*jsStep); ok {
				v = step.value
			}
			s[0] = uint64(in.add(v))
		}},
		"__wbg_instanceof_Uint8Array_2b3bbecd033d19f6": {1, 1, func(_ context.Context, in *instance, s []uint64) {
			switch in.get(uint32(s[0])).(type) {
			case []byte, jsView:
				s[0] = 1
			default:
				s[0] = 0
			}
		}},
		"__wbindgen_string_get": {2, 0, func(ctx context.Context, in *instance, s []uint64) {
			ret := uint32(s[0])
			var ptr, n uint32
			if str, ok := in.get(uint32(s[1])).(string); ok {
				ptr, n = in.passBytes(ctx, []byte(str))
			}
			in.writeU32(ret+4, n)
			in.writeU32(ret, ptr)
		}},
		"__wbg_new_16b304a2cfa7ff4a": {0, 1, func(_ context.Context, in *instance, s []uint64) {
			s[0] = uint64(in.add(&jsArray{}))
		}},
		"__wbindgen_string_new": {2, 1, func(_ context.Context, in *instance, s []uint64) {
			s[0] = uint64(in.add(in.readString(uint32(s[0]), uint32(s[1]))))
		}},
		"__wbg_push_a5b05aedc7234f9f": {2, 1, func(_ context.Context, in *instance, s []uint64) {
			arr, ok := in.get(uint32(s[0])).(*jsArray)
			if !ok {
				throw("TypeError: push() to a value that is not an Array")
			}
			arr.items = append(arr.items, in.get(uint32(s[1])))
			s[0] = uint64(len(arr.items))
		}},
		"__wbg_length_c20a40f15020d68a": {1, 1, func(_ context.Context, in *instance, s []uint64) {
			s[0] = uint64(len(in.bytesOf(in.get(uint32(s[0])))))
		}},
		"__wbg_set_a47bac70306a19a7": {3, 0, func(_ context.Context, in *instance, s []uint64) {
			dst, ok := in.get(uint32(s[0])).(jsView)
			if !ok {
				throw("TypeError: set() on a value that is not a view of the module's memory")
			}
			src, off := in.bytesOf(in.get(uint32(s[1]))), uint32(s[2])
			if uint64(off)+uint64(len(src)) > uint64(dst.n) {
				throw("RangeError: offset is out of bounds")
			}
			if !in.mem.Write(dst.off+off, src) {
				throw("RangeError: view beyond the module's memory")
			}
		}},
		"__wbindgen_throw": {2, 0, func(_ context.Context, in *instance, s []uint64) {
			panic(&jsException{in.readString(uint32(s[0]), uint32(s[1]))})
		}},
	}
}

// instantiateWBG registers the host module "wbg" serving wbgImports.
// Its functions find the instance they serve in the call's context.
func instantiateWBG(ctx context.Context, rt wazero.Runtime, mod wazero.CompiledModule) error {
	imports := wbgImports()
	b := rt.NewHostModuleBuilder("wbg")
	for _, f := range mod.ImportedFunctions() {
		modName, name, _ := f.Import()
		imp, ok := imports[name]
		if modName != "wbg" || !ok {
			return fmt.Errorf("resvg: resvg.wasm imports %s.%s, which this host does not provide", modName, name)
		}
		params, results := make([]api.ValueType, imp.params), make([]api.ValueType, imp.results)
		for i := range params {
			params[i] = i32
		}
		for i := range results {
			results[i] = i32
		}
		fn := imp.fn
		b.NewFunctionBuilder().WithGoFunction(api.GoFunc(func(ctx context.Context, s []uint64) {
			fn(ctx, instanceFrom(ctx), s)
		}), params, results).Export(name)
	}
	if _, err := b.Instantiate(ctx); err != nil {
		return fmt.Errorf("resvg: instantiate wbg imports: %w", err)
	}
	return nil
}

// bytesOf returns the bytes of a Uint8Array: a Go slice, or the module's
// memory under a view.
func (in *instance) bytesOf(v any) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case jsView:
		b, ok := in.mem.Read(v.off, v.n)
		if !ok {
			throw("RangeError: view beyond the module's memory")
		}
		return b
	}
	throw("TypeError: %T is not a Uint8Array", v)
	return nil
}

// readString decodes UTF-8 from the module's memory as the glue's
// TextDecoder (fatal: true) does.
func (in *instance) readString(ptr, n uint32) string {
	b, ok := in.mem.Read(ptr, n)
	if !ok {
		throw("RangeError: string of %d bytes at %#x beyond the module's memory", n, ptr)
	}
	if !utf8.Valid(b) {
		throw("TypeError: The encoded data was not valid for encoding utf-8")
	}
	return string(b)
}

func (in *instance) writeU32(ptr, v uint32) {
	if !in.mem.WriteUint32Le(ptr, v) {
		throw("RangeError: write at %#x beyond the module's memory", ptr)
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
