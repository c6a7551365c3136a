package resvg

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/svgai/svgai/host/wasmpatch"
)

// instance is one instantiation of resvg.wasm with the host state its
// imports need. It serves one render at a time: wazero's Call is not safe
// for concurrent use.
type instance struct {
	mod api.Module
	mem api.Memory
	// stop is wasmpatch's stop global: setting it makes the module trap at
	// its next loop iteration.
	stop api.MutableGlobal

	malloc, stackPointer                  api.Function
	resvgNew, resvgFree, resvgW, resvgH   api.Function
	render, imageFree, imageW, imageH, px api.Function

	// heap holds the JavaScript values the module refers to by index
	// (heap.go); free lists the indices of dropped ones for reuse.
	heap []any
	free []uint32
}

type instanceKey struct{}

// instanceFrom returns the instance a host function is serving. Every call
// into the module runs with it in ctx (instance.run).
func instanceFrom(ctx context.Context) *instance {
	in, ok := ctx.Value(instanceKey{}).(*instance)
	if !ok {
		panic(errors.New("resvg: wbg import called outside a render"))
	}
	return in
}

// newInstance instantiates the compiled module anonymously, so that any
// number can coexist in one runtime. The module has no start function.
func newInstance(ctx context.Context, rt wazero.Runtime, code wazero.CompiledModule) (*instance, error) {
	mod, err := rt.InstantiateModule(ctx, code, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		return nil, fmt.Errorf("resvg: instantiate resvg.wasm: %w", err)
	}
	f := mod.ExportedFunction
	in := &instance{
		mod:          mod,
		mem:          mod.Memory(),
		malloc:       f("__wbindgen_malloc"),
		stackPointer: f("__wbindgen_add_to_stack_pointer"),
		resvgNew:     f("resvg_new"),
		resvgFree:    f("__wbg_resvg_free"),
		resvgW:       f("resvg_width"),
		resvgH:       f("resvg_height"),
		render:       f("resvg_render"),
		imageFree:    f("__wbg_renderedimage_free"),
		imageW:       f("renderedimage_width"),
		imageH:       f("renderedimage_height"),
		px:           f("renderedimage_pixels"),
	}
	in.stop, _ = mod.ExportedGlobal(wasmpatch.StopExport).(api.MutableGlobal)
	if in.mem == nil || in.stop == nil { // New checked the functions
		mod.Close(ctx)
		return nil, errors.New("resvg: resvg.wasm lacks its memory or wasmpatch's " + wasmpatch.StopExport)
	}
	return in, nil
}

// requiredExports are the functions the host calls.
var requiredExports = []string{"__wbindgen_malloc", "__wbindgen_add_to_stack_pointer", "resvg_new",
	"__wbg_resvg_free", "resvg_width", "resvg_height", "resvg_render", "__wbg_renderedimage_free",
	"renderedimage_width", "renderedimage_height", "renderedimage_pixels"}

// checkExports reports the first required export code lacks.
func checkExports(code wazero.CompiledModule) error {
	have := code.ExportedFunctions()
	for _, name := range requiredExports {
		if _, ok := have[name]; !ok {
			return fmt.Errorf("resvg: resvg.wasm does not export %s", name)
		}
	}
	return nil
}

// errInterrupted reports a render stopped because its context was done.
var errInterrupted = errors.New("resvg: render interrupted")

// run calls fn with this instance in reach of the imports, and stops the
// module when ctx is done. The instance must be discarded after an error.
func (in *instance) run(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	ctx = context.WithValue(ctx, instanceKey{}, in)
	disarm := wasmpatch.Interrupt(ctx, in.stop)
	defer func() {
		if disarm() {
			err = fmt.Errorf("%w: %w", errInterrupted, context.Cause(ctx))
		}
	}()
	return fn(ctx)
}

// call runs one export and returns its first result, if any.
func (in *instance) call(ctx context.Context, f api.Function, params ...uint64) (uint64, error) {
	res, err := f.Call(ctx, params...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", f.Definition().ExportNames()[0], err)
	}
	if len(res) == 0 {
		return 0, nil
	}
	return res[0], nil
}

// passBytes copies b into memory the module allocates with
// __wbindgen_malloc(len, 1) and hands over, as the glue's passStringToWasm0.
func (in *instance) passBytes(ctx context.Context, b []byte) (ptr, n uint32) {
	p, err := in.call(ctx, in.malloc, uint64(len(b)), 1)
	if err != nil {
		panic(err)
	}
	if !in.mem.Write(uint32(p), b) {
		throw("RangeError: %d bytes at %#x beyond the module's memory", len(b), uint32(p))
	}
	return uint32(p), uint32(len(b))
}

// callResult calls a Result-returning export the way the glue does: the
// export writes (value, error, is_error) as three i32s to 16 bytes it is
// given on the module's shadow stack. A JavaScript error it returns becomes
// an *Error.
func (in *instance) callResult(ctx context.Context, f api.Function, params ...uint64) (uint32, error) {
	sp, err := in.call(ctx, in.stackPointer, uint64(uint32(math.MaxUint32-15))) // -16
	if err != nil {
		return 0, err
	}
	ret := uint32(sp)
	if _, err := in.call(ctx, f, append([]uint64{uint64(ret)}, params...)...); err != nil {
		return 0, err
	}
	r0, ok0 := in.mem.ReadUint32Le(ret)
	r1, ok1 := in.mem.ReadUint32Le(ret + 4)
	r2, ok2 := in.mem.ReadUint32Le(ret + 8)
	if _, err := in.call(ctx, in.stackPointer, 16); err != nil {
		return 0, err
	}
	if !ok0 || !ok1 || !ok2 {
		return 0, fmt.Errorf("resvg: result at %#x beyond the module's memory", ret)
	}
	if r2 != 0 {
		msg := "an error that is not an Error object"
		if e, ok := in.take(r1).(*jsError); ok {
			msg = e.msg
		}
		return 0, &Error{Msg: msg}
	}
	return r0, nil
}

// newTree parses svg with the given resvg-js options (JSON) and returns
// the module's Resvg object, which the caller must free with resvgFree.
func (in *instance) newTree(ctx context.Context, svg []byte, options []byte) (uint32, error) {
	ptr, n := in.passBytes(ctx, options)
	h := in.add(svg) // a Uint8Array; the module takes (and drops) it
	return in.callResult(ctx, in.resvgNew, uint64(h), uint64(ptr), uint64(n), 0)
}

// size returns the tree's size in px, as resvg_width and resvg_height.
func (in *instance) size(ctx context.Context, tree uint32) (w, h float64, err error) {
	rw, err := in.call(ctx, in.resvgW, uint64(tree))
	if err != nil {
		return 0, 0, err
	}
	rh, err := in.call(ctx, in.resvgH, uint64(tree))
	if err != nil {
		return 0, 0, err
	}
	return float64(math.Float32frombits(uint32(rw))), float64(math.Float32frombits(uint32(rh))), nil
}

// renderTree renders the tree and returns its pixmap: premultiplied RGBA,
// rows packed.
func (in *instance) renderTree(ctx context.Context, tree uint32) (pix []byte, w, h int, err error) {
	img, err := in.callResult(ctx, in.render, uint64(tree))
	if err != nil {
		return nil, 0, 0, err
	}
	defer func() {
		if _, ferr := in.call(ctx, in.imageFree, uint64(img)); ferr != nil && err == nil {
			err = ferr
		}
	}()
	rw, err := in.call(ctx, in.imageW, uint64(img))
	if err != nil {
		return nil, 0, 0, err
	}
	rh, err := in.call(ctx, in.imageH, uint64(img))
	if err != nil {
		return nil, 0, 0, err
	}
	h0, err := in.call(ctx, in.px, uint64(img))
	if err != nil {
		return nil, 0, 0, err
	}
	pix, _ = in.take(uint32(h0)).([]byte)
	w, h = int(uint32(rw)), int(uint32(rh))
	if len(pix) != 4*w*h {
		return nil, 0, 0, fmt.Errorf("resvg: rendered image of %dx%d has %d bytes of pixels", w, h, len(pix))
	}
	return pix, w, h, nil
}

func (in *instance) close(ctx context.Context) { in.mod.Close(ctx) }
