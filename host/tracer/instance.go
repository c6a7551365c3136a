package tracer

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/svgai/svgai/host/wasmpatch"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Handles 0 to 4 are fixed for the life of an instance: 0 is the null
// reference (JavaScript sees ref.null extern as null), 1 to 4 are the four
// constants the glue puts in the module's externref table at start.
const (
	hNull uint32 = iota
	hUndefined
	hNullConst
	hTrue
	hFalse
	reservedHandles
)

// instance is one instantiation of vtracer.wasm with the host state its
// imports need. It serves one conversion at a time: wazero's Call is not
// safe for concurrent use.
type instance struct {
	mod    api.Module
	helper api.Module // tableinit, bound to mod's externref table
	mem    api.Memory

	malloc, free, toSVG api.Function
	// stop is instrument's stop global: setting it makes the module trap
	// at its next loop iteration (see wasmpatch.Interrupt).
	stop api.MutableGlobal

	// vals is the handle table: externref handle i is vals[i]; unused lists
	// the slots of dropped handles for reuse. After each call, handles the
	// module no longer holds are dropped (release).
	vals   []any
	unused []uint32
	live   []bool       // scratch for release
	next   api.Function // tableinit's next
	// panicReport is the last text the module printed through
	// console.error during the current call: its panic hook's report.
	panicReport string
	// lastError is the message of the last JavaScript Error the module
	// created during the current call. A panic report shows only where
	// upstream panicked; when it unwrapped a failed deserialisation, this
	// says what was wrong (serde's "unknown variant `bogus`...").
	lastError string
}

type instanceKey struct{}

// instanceFrom returns the instance a host function is serving. Every call
// into the module goes through instance.call, which puts it in ctx.
func instanceFrom(ctx context.Context) *instance {
	in, ok := ctx.Value(instanceKey{}).(*instance)
	if !ok {
		panic(errors.New("tracer: wbg import called outside a conversion"))
	}
	return in
}

// newInstance instantiates the compiled VTracer module anonymously (so that
// any number can coexist in one runtime), binds a tableinit instance to its
// externref table, and runs the module's start function as the glue does.
func newInstance(ctx context.Context, rt wazero.Runtime, vt, tableinit wazero.CompiledModule) (*instance, error) {
	mod, err := rt.InstantiateModule(experimental.WithMemoryAllocator(ctx, memoryAllocator()), vt, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		return nil, fmt.Errorf("tracer: instantiate vtracer.wasm: %w", err)
	}
	// tableinit imports the table from "vtracer"; resolve that name to this
	// instance rather than to a registered module.
	rctx := experimental.WithImportResolver(ctx, func(name string) api.Module {
		if name == "vtracer" {
			return mod
		}
		return nil
	})
	helper, err := rt.InstantiateModule(rctx, tableinit, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		mod.Close(ctx)
		return nil, fmt.Errorf("tracer: instantiate tableinit.wasm: %w", err)
	}
	in := &instance{
		mod:    mod,
		helper: helper,
		mem:    mod.Memory(),
		malloc: mod.ExportedFunction("__wbindgen_malloc"),
		free:   mod.ExportedFunction("__wbindgen_free"),
		toSVG:  mod.ExportedFunction("to_svg"),
		next:   helper.ExportedFunction("next"),
		vals:   []any{hNull: jsNull{}, hUndefined: jsUndefined{}, hNullConst: jsNull{}, hTrue: true, hFalse: false},
	}
	in.stop, _ = mod.ExportedGlobal(wasmpatch.StopExport).(api.MutableGlobal)
	start := mod.ExportedFunction("__wbindgen_start")
	if in.mem == nil || in.malloc == nil || in.free == nil || in.toSVG == nil || start == nil || in.stop == nil {
		in.close(ctx)
		return nil, errors.New("tracer: vtracer.wasm lacks an expected export (memory, to_svg, __wbindgen_malloc, __wbindgen_free, __wbindgen_start, or wasmpatch's " + wasmpatch.StopExport + ")")
	}
	if _, err := in.call(ctx, start); err != nil {
		in.close(ctx)
		return nil, fmt.Errorf("tracer: vtracer.wasm start: %w", err)
	}
	return in, nil
}

// errInterrupted reports a call stopped because its context was done.
// The instance must then be discarded: its stop global stays set.
var errInterrupted = errors.New("tracer: conversion interrupted")

// call runs one exported function with this instance's host state in reach
// of the imports, and drops the handles the call made. It stops the module
// when ctx is done.
func (in *instance) call(ctx context.Context, f api.Function, params ...uint64) (res []uint64, err error) {
	ctx = context.WithValue(ctx, instanceKey{}, in)
	disarm := wasmpatch.Interrupt(ctx, in.stop)
	defer func() {
		if disarm() {
			res, err = nil, fmt.Errorf("%w: %w", errInterrupted, context.Cause(ctx))
		}
	}()
	if res, err = f.Call(ctx, params...); err != nil {
		return nil, err
	}
	return res, in.release(ctx)
}

// trace runs to_svg on tightly packed RGBA pixels, following the glue's
// to_svg: the pixels go in through __wbindgen_malloc and the module takes
// ownership; the returned string is copied out and freed. It stops the
// module when ctx is done.
func (in *instance) trace(ctx context.Context, pix []byte, w, h int, cfg *jsObject) (svg []byte, err error) {
	in.panicReport, in.lastError = "", ""
	ctx = context.WithValue(ctx, instanceKey{}, in)
	disarm := wasmpatch.Interrupt(ctx, in.stop)
	defer func() {
		if disarm() {
			svg, err = nil, fmt.Errorf("%w: %w", errInterrupted, context.Cause(ctx))
		}
	}()
	res, err := in.malloc.Call(ctx, uint64(len(pix)), 1)
	if err != nil {
		return nil, fmt.Errorf("allocate %d bytes of pixels: %w", len(pix), err)
	}
	ptr := uint32(res[0])
	if !in.mem.Write(ptr, pix) {
		return nil, fmt.Errorf("write %d bytes of pixels at %#x: out of range", len(pix), ptr)
	}
	res, err = in.toSVG.Call(ctx, uint64(ptr), uint64(len(pix)), uint64(w), uint64(h), in.handle(cfg))
	if err != nil {
		return nil, err
	}
	sptr, slen := uint32(res[0]), uint32(res[1])
	b, ok := in.mem.Read(sptr, slen)
	if !ok {
		return nil, fmt.Errorf("read %d bytes of SVG at %#x: out of range", slen, sptr)
	}
	svg = bytes.Clone(b)
	if _, err := in.free.Call(ctx, uint64(sptr), uint64(slen), 1); err != nil {
		return nil, fmt.Errorf("free SVG: %w", err)
	}
	return svg, in.release(ctx)
}

// tableSize reports the length of the module's externref table.
func (in *instance) tableSize(ctx context.Context) (uint32, error) {
	res, err := in.helper.ExportedFunction("size").Call(ctx)
	if err != nil {
		return 0, err
	}
	return uint32(res[0]), nil
}

// handle stores v in the handle table and returns its externref.
func (in *instance) handle(v any) uint64 {
	switch v := v.(type) {
	case bool:
		if v {
			return api.EncodeExternref(uintptr(hTrue))
		}
		return api.EncodeExternref(uintptr(hFalse))
	case jsUndefined:
		return api.EncodeExternref(uintptr(hUndefined))
	case jsNull:
		return api.EncodeExternref(uintptr(hNullConst))
	}
	if n := len(in.unused); n > 0 {
		h := in.unused[n-1]
		in.unused = in.unused[:n-1]
		in.vals[h] = v
		return api.EncodeExternref(uintptr(h))
	}
	in.vals = append(in.vals, v)
	return api.EncodeExternref(uintptr(len(in.vals) - 1))
}

// value returns the value behind an externref. A handle the host never made
// cannot come from a correct module; it reads as undefined rather than
// crashing the host.
func (in *instance) value(ref uint64) any {
	h := api.DecodeExternref(ref)
	if h >= uintptr(len(in.vals)) {
		return jsUndefined{}
	}
	return in.vals[h]
}

// release drops the handles the module no longer holds, so that the handle
// table does not grow from one conversion to the next. The module can hold a
// value only in its externref table (it has no externref globals), and it
// keeps some across calls: serde-wasm-bindgen interns the config's key
// strings. So the live handles are exactly the table's non-null entries.
func (in *instance) release(ctx context.Context) error {
	if cap(in.live) < len(in.vals) {
		in.live = make([]bool, len(in.vals), cap(in.vals))
	}
	live := in.live[:len(in.vals)]
	clear(live)
	stack := make([]uint64, 2)
	for i := uint32(0); ; i++ {
		stack[0] = uint64(i)
		if err := in.next.CallWithStack(ctx, stack); err != nil {
			return fmt.Errorf("tracer: scan externref table: %w", err)
		}
		j := int32(stack[0])
		if j < 0 {
			break
		}
		if h := api.DecodeExternref(stack[1]); h < uintptr(len(live)) {
			live[h] = true
		}
		i = uint32(j)
	}
	for h := int(reservedHandles); h < len(in.vals); h++ {
		if !live[h] && in.vals[h] != nil {
			in.vals[h] = nil
			in.unused = append(in.unused, uint32(h))
		}
	}
	return nil
}

// handles counts the values the host holds for the module.
func (in *instance) handles() int {
	return len(in.vals) - int(reservedHandles) - len(in.unused)
}

func (in *instance) close(ctx context.Context) {
	in.helper.Close(ctx)
	in.mod.Close(ctx)
}
