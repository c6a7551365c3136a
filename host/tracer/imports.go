package tracer

import (
	"context"
	"fmt"
	"math"
	"slices"
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
	// notCalled serves an import the module declares but never calls from
	// to_svg (the Node oracle test runs every conversion path the host
	// uses): a call means the module changed, so it throws.
	notCalled := func(name string, params, results []api.ValueType) wbgImport {
		return wbgImport{params, results, func(context.Context, *instance, []uint64) {
			throwTypeError("vtracer-wasm called %s, which svgai's host does not implement", name)
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
		"__wbindgen_is_string":         boolResult(func(v any) bool { return typeOf(v) == "string" }),
		"__wbindgen_is_bigint":         boolResult(func(any) bool { return false }), // the host makes no bigints
		"__wbindgen_bigint_get_as_i64": notCalled("__wbindgen_bigint_get_as_i64", []api.ValueType{i32, ext}, nil),
		"__wbindgen_bigint_from_u64":   notCalled("__wbindgen_bigint_from_u64", []api.ValueType{i64}, []api.ValueType{ext}),
		"__wbindgen_jsval_eq":          notCalled("__wbindgen_jsval_eq", []api.ValueType{ext, ext}, []api.ValueType{i32}),
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
		"__wbg_length_e2d2a49132c1b256": notCalled("__wbg_length_e2d2a49132c1b256", []api.ValueType{ext}, []api.ValueType{i32}),
		"__wbg_get_b9b93047fe3cf45b":    notCalled("__wbg_get_b9b93047fe3cf45b", []api.ValueType{ext, i32}, []api.ValueType{ext}),
		"__wbindgen_boolean_get": {[]api.ValueType{ext}, []api.ValueType{i32}, func(_ context.Context, in *instance, s []uint64) {
			b, ok := in.value(s[0]).(bool)
			switch {
			case !ok:
				s[0] = 2 // not a boolean
			default:
				s[0] = b2u(b)
			}
		}},
		"__wbg_length_a446193dc22c12f8": notCalled("__wbg_length_a446193dc22c12f8", []api.ValueType{ext}, []api.ValueType{i32}),
		"__wbindgen_memory":             notCalled("__wbindgen_memory", nil, []api.ValueType{ext}),
		"__wbg_buffer_609cc3eee51ed158": notCalled("__wbg_buffer_609cc3eee51ed158", []api.ValueType{ext}, []api.ValueType{ext}),
		"__wbg_new_a12002a7f91c75be":    notCalled("__wbg_new_a12002a7f91c75be", []api.ValueType{ext}, []api.ValueType{ext}),
		"__wbg_set_65595bdd868b3009":    notCalled("__wbg_set_65595bdd868b3009", []api.ValueType{ext, ext, i32}, nil),
		"__wbindgen_jsval_loose_eq": {[]api.ValueType{ext, ext}, []api.ValueType{i32}, func(_ context.Context, in *instance, s []uint64) {
			s[0] = b2u(looseEqual(in.value(s[0]), in.value(s[1])))
		}},
		"__wbg_instanceof_Uint8Array_17156bcf118086a9":  notCalled("__wbg_instanceof_Uint8Array_17156bcf118086a9", []api.ValueType{ext}, []api.ValueType{i32}),
		"__wbg_instanceof_ArrayBuffer_e14585432e3737fc": notCalled("__wbg_instanceof_ArrayBuffer_e14585432e3737fc", []api.ValueType{ext}, []api.ValueType{i32}),
		"__wbg_entries_3265d4158b33e5dc":                notCalled("__wbg_entries_3265d4158b33e5dc", []api.ValueType{ext}, []api.ValueType{ext}),
		"__wbg_isSafeInteger_343e2beeeece1bb0": boolResult(func(v any) bool { // Number.isSafeInteger
			f, ok := v.(float64)
			return ok && f == math.Trunc(f) && math.Abs(f) <= 1<<53-1
		}),
		"__wbindgen_as_number": {[]api.ValueType{ext}, []api.ValueType{f64}, func(_ context.Context, in *instance, s []uint64) {
			v := in.value(s[0])
			f, ok := v.(float64)
			if !ok { // serde-wasm-bindgen asks only after checking the type
				throwTypeError("svgai's host converts only numbers with unary +, not %s", typeOf(v))
			}
			s[0] = math.Float64bits(f)
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
