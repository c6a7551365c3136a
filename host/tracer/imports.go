package tracer

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// jsException is a JavaScript exception thrown by a wbg import. The host
// function panics with it; wazero unwinds the module and returns it, wrapped,
// from Call, as a throw would unwind to_svg in JavaScript.
type jsException struct{ value any }

func (e *jsException) Error() string { return "JavaScript exception: " + toString(e.value) }

func throwTypeError(format string, args ...any) {
	panic(&jsException{&jsError{"TypeError: " + fmt.Sprintf(format, args...)}})
}

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
	f64 = api.ValueTypeF64
	ext = api.ValueTypeExternref
)

// wbgImport is the host side of one import of the "wbg" module.
type wbgImport struct {
	params, results []api.ValueType
	fn              func(ctx context.Context, in *instance, s []uint64)
}

// wbgImports returns the 31 imports of vtracer-wasm@0.1.0, keyed by their
// exact names (the hex suffix is wasm-bindgen's hash of the JavaScript
// snippet). Each does what the same-named function of the package's
// vtracer.js does. i32 arguments are truncated to 32 bits: the upper half of
// the stack slot is not guaranteed to be zero.
func wbgImports() map[string]wbgImport {
	boolResult := func(f func(any) bool) wbgImport {
		return wbgImport{[]api.ValueType{ext}, []api.ValueType{i32}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = b2u(f(in.value(s[0])))
		}}
	}
	return map[string]wbgImport{
		"__wbindgen_string_get": {[]api.ValueType{i32, ext}, nil, func(ctx context.Context, in *instance, s []uint64) {
			ret := uint32(s[0])
			var ptr, n uint32
			if str, ok := in.value(s[1]).(string); ok {
				ptr, n = in.passString(ctx, str)
			}
			in.writeU32(ret+4, n)
			in.writeU32(ret, ptr)
		}},
		"__wbindgen_is_string": boolResult(func(v any) bool { return typeOf(v) == "string" }),
		"__wbindgen_is_bigint": boolResult(func(v any) bool { return typeOf(v) == "bigint" }),
		"__wbindgen_bigint_get_as_i64": {[]api.ValueType{i32, ext}, nil, func(_ context.Context, in *instance, s []uint64) {
			ret := uint32(s[0])
			x, ok := in.value(s[1]).(*big.Int)
			var v uint64
			if ok {
				// BigInt to i64 conversion wraps modulo 2^64 (ToBigInt64).
				v = new(big.Int).And(x, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
			}
			in.writeU64(ret+8, v)
			in.writeU32(ret, uint32(b2u(ok)))
		}},
		"__wbindgen_bigint_from_u64": {[]api.ValueType{i64}, []api.ValueType{ext}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = in.handle(new(big.Int).SetUint64(s[0])) // BigInt.asUintN(64, arg0)
		}},
		"__wbindgen_jsval_eq": {[]api.ValueType{ext, ext}, []api.ValueType{i32}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = b2u(strictEqual(in.value(s[0]), in.value(s[1])))
		}},
		"__wbindgen_error_new": {[]api.ValueType{i32, i32}, []api.ValueType{ext}, func(_ context.Context, in *instance, s []uint64) {
			in.lastError = in.readString(uint32(s[0]), uint32(s[1]))
			s[0] = in.handle(&jsError{in.lastError})
		}},
		"__wbindgen_number_get": {[]api.ValueType{i32, ext}, nil, func(_ context.Context, in *instance, s []uint64) {
			ret := uint32(s[0])
			f, ok := in.value(s[1]).(float64)
			in.writeU64(ret+8, math.Float64bits(f))
			in.writeU32(ret, uint32(b2u(ok)))
		}},
		"__wbindgen_string_new": {[]api.ValueType{i32, i32}, []api.ValueType{ext}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = in.handle(in.readString(uint32(s[0]), uint32(s[1])))
		}},
		// console.error: the module's panic hook prints its report here.
		"__wbg_error_524f506f44df1645": {[]api.ValueType{ext}, nil, func(_ context.Context, in *instance, s []uint64) {
			in.panicReport = toString(in.value(s[0]))
		}},
		"__wbindgen_is_object": boolResult(func(v any) bool {
			_, null := v.(jsNull)
			return typeOf(v) == "object" && !null
		}),
		"__wbg_getwithrefkey_1dc361bd10053bfe": {[]api.ValueType{ext, ext}, []api.ValueType{ext}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = in.handle(getProperty(in.value(s[0]), in.value(s[1])))
		}},
		"__wbindgen_is_undefined": boolResult(func(v any) bool { return v == jsUndefined{} }),
		"__wbindgen_in": {[]api.ValueType{ext, ext}, []api.ValueType{i32}, func(_ context.Context, in *instance, s []uint64) {
			key, obj := in.value(s[0]), in.value(s[1])
			if typeOf(obj) != "object" || isNullish(obj) {
				throwTypeError("Cannot use 'in' operator to search for '%s' in %s", toString(key), toString(obj))
			}
			_, isUndef := getProperty(obj, key).(jsUndefined)
			s[0] = b2u(!isUndef || hasOwnUndefined(obj, key))
		}},
		"__wbg_length_e2d2a49132c1b256": {[]api.ValueType{ext}, []api.ValueType{i32}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = uint64(in.length(in.value(s[0])))
		}},
		"__wbg_get_b9b93047fe3cf45b": {[]api.ValueType{ext, i32}, []api.ValueType{ext}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = in.handle(getProperty(in.value(s[0]), float64(uint32(s[1]))))
		}},
		"__wbindgen_boolean_get": {[]api.ValueType{ext}, []api.ValueType{i32}, func(_ context.Context, in *instance, s []uint64) {
			b, ok := in.value(s[0]).(bool)
			switch {
			case !ok:
				s[0] = 2 // not a boolean
			default:
				s[0] = b2u(b)
			}
		}},
		"__wbg_length_a446193dc22c12f8": {[]api.ValueType{ext}, []api.ValueType{i32}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = uint64(in.length(in.value(s[0])))
		}},
		"__wbindgen_memory": {nil, []api.ValueType{ext}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = in.handle(jsMemory{})
		}},
		"__wbg_buffer_609cc3eee51ed158": {[]api.ValueType{ext}, []api.ValueType{ext}, func(_ context.Context, in *instance, s []uint64) {
			var buf any = jsUndefined{}
			switch in.value(s[0]).(type) {
			case jsMemory:
				buf = jsArrayBuffer{}
			case *jsUint8Array:
				buf = jsArrayBuffer{} // only views of wasm memory are ever asked
			}
			s[0] = in.handle(buf)
		}},
		// new Uint8Array(arg0)
		"__wbg_new_a12002a7f91c75be": {[]api.ValueType{ext}, []api.ValueType{ext}, func(_ context.Context, in *instance, s []uint64) {
			switch v := in.value(s[0]).(type) {
			case jsArrayBuffer:
				s[0] = in.handle(&jsUint8Array{memory: true})
			case *jsUint8Array:
				s[0] = in.handle(&jsUint8Array{data: slices.Clone(in.bytes(v))})
			default:
				s[0] = in.handle(&jsUint8Array{data: make([]byte, max(0, int(toNumber(v))))})
			}
		}},
		// arg0.set(arg1, arg2 >>> 0): copy a byte array into a view.
		"__wbg_set_65595bdd868b3009": {[]api.ValueType{ext, ext, i32}, nil, func(_ context.Context, in *instance, s []uint64) {
			dst, ok1 := in.value(s[0]).(*jsUint8Array)
			src, ok2 := in.value(s[1]).(*jsUint8Array)
			off := uint64(uint32(s[2]))
			if !ok1 || !ok2 {
				throwTypeError("Uint8Array.prototype.set on a non-array")
			}
			from, to := in.bytes(src), in.bytes(dst)
			if off+uint64(len(from)) > uint64(len(to)) {
				panic(&jsException{&jsError{"RangeError: offset is out of bounds"}})
			}
			copy(to[off:], from)
		}},
		"__wbindgen_jsval_loose_eq": {[]api.ValueType{ext, ext}, []api.ValueType{i32}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = b2u(looseEqual(in.value(s[0]), in.value(s[1])))
		}},
		"__wbg_instanceof_Uint8Array_17156bcf118086a9": boolResult(func(v any) bool {
			_, ok := v.(*jsUint8Array)
			return ok
		}),
		"__wbg_instanceof_ArrayBuffer_e14585432e3737fc": boolResult(func(v any) bool { return v == jsArrayBuffer{} }),
		// Object.entries(arg0)
		"__wbg_entries_3265d4158b33e5dc": {[]api.ValueType{ext}, []api.ValueType{ext}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = in.handle(entries(in.value(s[0])))
		}},
		"__wbg_isSafeInteger_343e2beeeece1bb0": boolResult(isSafeInteger),
		"__wbindgen_as_number": {[]api.ValueType{ext}, []api.ValueType{f64}, func(_ context.Context, in *instance, s []uint64) {
			v := in.value(s[0])
			if typeOf(v) == "bigint" {
				throwTypeError("Cannot convert a BigInt value to a number")
			}
			s[0] = math.Float64bits(toNumber(v))
		}},
		"__wbindgen_throw": {[]api.ValueType{i32, i32}, nil, func(_ context.Context, in *instance, s []uint64) {
			panic(&jsException{&jsError{in.readString(uint32(s[0]), uint32(s[1]))}})
		}},
		"__wbindgen_debug_string": {[]api.ValueType{i32, ext}, nil, func(ctx context.Context, in *instance, s []uint64) {
			ret := uint32(s[0])
			ptr, n := in.passString(ctx, debugString(in.value(s[1])))
			in.writeU32(ret+4, n)
			in.writeU32(ret, ptr)
		}},
		// The module's start function: fill its externref table through
		// tableinit (see tableinit.wat).
		"__wbindgen_init_externref_table": {nil, nil, func(ctx context.Context, in *instance, _ []uint64) {
			h := func(x uint32) uint64 { return api.EncodeExternref(uintptr(x)) }
			if _, err := in.helper.ExportedFunction("init").Call(ctx, h(hUndefined), h(hNullConst), h(hTrue), h(hFalse)); err != nil {
				panic(fmt.Errorf("tracer: init externref table: %w", err))
			}
		}},
	}
}

// instantiateWBG serves the imports that the compiled module asks for under
// "wbg", refusing a module that needs one the host does not provide or
// expects a different signature.
func instantiateWBG(ctx context.Context, rt wazero.Runtime, compiled wazero.CompiledModule) error {
	impls := wbgImports()
	b := rt.NewHostModuleBuilder("wbg")
	for _, def := range compiled.ImportedFunctions() {
		mod, name, _ := def.Import()
		if mod != "wbg" {
			return fmt.Errorf("tracer: vtracer.wasm imports %s.%s; only wbg is served", mod, name)
		}
		impl, ok := impls[name]
		if !ok {
			return fmt.Errorf("tracer: vtracer.wasm imports wbg.%s, which this host does not implement (a different vtracer-wasm build?)", name)
		}
		if !slices.Equal(def.ParamTypes(), impl.params) || !slices.Equal(def.ResultTypes(), impl.results) {
			return fmt.Errorf("tracer: vtracer.wasm imports wbg.%s with signature %v -> %v, host has %v -> %v",
				name, typeNames(def.ParamTypes()), typeNames(def.ResultTypes()), typeNames(impl.params), typeNames(impl.results))
		}
		fn := impl.fn
		b.NewFunctionBuilder().
			WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, _ api.Module, stack []uint64) {
				fn(ctx, instanceFrom(ctx), stack)
			}), impl.params, impl.results).
			Export(name)
	}
	if _, err := b.Instantiate(ctx); err != nil {
		return fmt.Errorf("tracer: instantiate wbg imports: %w", err)
	}
	return nil
}

func typeNames(ts []api.ValueType) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = api.ValueTypeName(t)
	}
	return "(" + strings.Join(names, ", ") + ")"
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// getProperty is obj[key] for the values the host creates.
func getProperty(obj, key any) any {
	switch o := obj.(type) {
	case *jsObject:
		if v, ok := o.get(toString(key)); ok {
			return v
		}
	case *jsArray:
		if i, ok := arrayIndex(key); ok && i < len(o.elems) {
			return o.elems[i]
		}
		if toString(key) == "length" {
			return float64(len(o.elems))
		}
	case *jsUint8Array:
		if i, ok := arrayIndex(key); ok && i < len(o.data) {
			return float64(o.data[i])
		}
	case *jsError:
		if toString(key) == "message" {
			return o.message
		}
	case jsUndefined, jsNull:
		throwTypeError("Cannot read properties of %s (reading '%s')", toString(obj), toString(key))
	}
	return jsUndefined{}
}

// hasOwnUndefined reports a property that exists and holds undefined, which
// `in` must count.
func hasOwnUndefined(obj, key any) bool {
	if o, ok := obj.(*jsObject); ok {
		_, has := o.get(toString(key))
		return has
	}
	return false
}

func arrayIndex(key any) (int, bool) {
	switch k := key.(type) {
	case float64:
		if k >= 0 && k == math.Trunc(k) && k < math.MaxInt32 {
			return int(k), true
		}
	case string:
		if n, err := strconv.ParseUint(k, 10, 31); err == nil && strconv.FormatUint(n, 10) == k {
			return int(n), true
		}
	}
	return 0, false
}

// entries is Object.entries: [key, value] pairs of own enumerable
// properties, keys as strings.
func entries(v any) *jsArray {
	out := &jsArray{}
	pair := func(k string, v any) { out.elems = append(out.elems, &jsArray{[]any{k, v}}) }
	switch o := v.(type) {
	case *jsObject:
		for i, k := range o.keys {
			pair(k, o.vals[i])
		}
	case *jsArray:
		for i, e := range o.elems {
			pair(strconv.Itoa(i), e)
		}
	case *jsUint8Array:
		for i, b := range o.data {
			pair(strconv.Itoa(i), float64(b))
		}
	case string:
		i := 0
		for _, r := range o {
			pair(strconv.Itoa(i), string(r))
			i++
		}
	case jsUndefined, jsNull:
		throwTypeError("Cannot convert undefined or null to object")
	}
	return out
}

// length is `.length`, with views of wasm memory as long as the memory.
func (in *instance) length(v any) uint32 {
	if u, ok := v.(*jsUint8Array); ok && u.memory {
		return in.mem.Size()
	}
	return uint32(jsLength(v))
}

// bytes returns the bytes behind a Uint8Array.
func (in *instance) bytes(u *jsUint8Array) []byte {
	if !u.memory {
		return u.data
	}
	b, _ := in.mem.Read(0, in.mem.Size())
	return b
}

// passString copies a string into module memory as the glue's
// passStringToWasm0 does: UTF-8, allocated with __wbindgen_malloc(len, 1).
func (in *instance) passString(ctx context.Context, s string) (ptr, n uint32) {
	res, err := in.malloc.Call(ctx, uint64(len(s)), 1)
	if err != nil {
		panic(fmt.Errorf("tracer: allocate %d bytes for a string: %w", len(s), err))
	}
	ptr = uint32(res[0])
	if !in.mem.WriteString(ptr, s) {
		panic(fmt.Errorf("tracer: write string at %#x: out of range", ptr))
	}
	return ptr, uint32(len(s))
}

// readString decodes UTF-8 from module memory as the glue's fatal
// TextDecoder does.
func (in *instance) readString(ptr, n uint32) string {
	b, ok := in.mem.Read(ptr, n)
	if !ok {
		panic(&jsException{&jsError{"RangeError: string out of bounds of wasm memory"}})
	}
	if !utf8.Valid(b) {
		throwTypeError("The encoded data was not valid for encoding utf-8")
	}
	return string(b)
}

func (in *instance) writeU32(off, v uint32) {
	if !in.mem.WriteUint32Le(off, v) {
		panic(&jsException{&jsError{"RangeError: offset is outside the bounds of the DataView"}})
	}
}

func (in *instance) writeU64(off uint32, v uint64) {
	if !in.mem.WriteUint64Le(off, v) {
		panic(&jsException{&jsError{"RangeError: offset is outside the bounds of the DataView"}})
	}
}
