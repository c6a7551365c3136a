package tracer

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"runtime"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/tetratelabs/wazero"

	"github.com/svgai/svgai/host/wasmpatch"
	"github.com/svgai/svgai/shared/vtracer"
)

// WasmSHA256 is the SHA-256 of vtracer.wasm in the npm package
// vtracer-wasm@0.1.0, whose tarball `make setup` checks against the
// registry's published sha512 integrity.
const WasmSHA256 = "b93108af0f23e13a64f4b23f2582312a325be9d7ff833e49d04554cd99606f0b"

// wasmVersion names what WasmSHA256 is: the package, and the visioncortex
// crate it was built from (the crate path compiled into the module's panic
// locations reads visioncortex-0.8.8).
const wasmVersion = "vtracer-wasm@0.1.0 (visioncortex 0.8.8)"

// assets holds vtracer.wasm when `make setup` has copied it there before the
// build; the committed README.md keeps the directory embeddable without it.
//
//go:embed assets
var assets embed.FS

// tableinitWasm is tableinit.wat assembled (see that file).
//
//go:generate wat2wasm tableinit.wat -o tableinit.wasm
//go:embed tableinit.wasm
var tableinitWasm []byte

// Defaults for WasmOptions.
const (
	// DefaultMemoryLimitPages caps each instance's memory at 512 MiB (64 KiB
	// pages): several times what a 4096×4096 image needs (our choice).
	DefaultMemoryLimitPages = 8192
	// DefaultTimeout bounds one conversion (our choice; a 256 px logo takes
	// tens of milliseconds, a 4096 px photo seconds).
	DefaultTimeout = 60 * time.Second
)

// idleMemoryLimit is the largest memory an instance may keep while idle: an
// instance grown by a large image is dropped rather than pooled, as wasm
// memory never shrinks, so that one large request does not hold its memory
// for the life of the process (our choice: 64 MiB is what images up to
// about 0.4 megapixels need; a new instance costs a few milliseconds).
const idleMemoryLimit = 64 << 20

// WasmOptions configure NewWasm. The zero value is ready to use.
type WasmOptions struct {
	// Module is the vtracer-wasm module; nil selects the embedded one.
	Module []byte
	// AllowUnverified accepts a module whose SHA-256 is not WasmSHA256.
	AllowUnverified bool
	// MemoryLimitPages caps each instance's memory in 64 KiB pages
	// (wazero's WithMemoryLimitPages); 0 selects DefaultMemoryLimitPages.
	MemoryLimitPages uint32
	// Timeout bounds each conversion on top of the caller's context; 0
	// selects DefaultTimeout.
	Timeout time.Duration
	// MaxIdle is how many instances are kept for reuse between conversions;
	// 0 selects GOMAXPROCS, a negative value keeps none.
	MaxIdle int
	// Logger receives diagnostics; nil discards them.
	Logger hclog.Logger
}

// Wasm runs upstream VTracer in-process: vtracer-wasm compiled once by
// wazero, one module instance per concurrent conversion. It is safe for
// concurrent use.
type Wasm struct {
	rt                 wazero.Runtime
	vtracer, tableinit wazero.CompiledModule
	version            string
	timeout            time.Duration
	maxIdle            int
	log                hclog.Logger
	memLimit           uint64 // bytes per instance

	// closing is cancelled by Close, which stops running conversions;
	// running counts them, so that Close can wait for them to stop.
	closing     context.Context
	stopRunning context.CancelFunc
	running     sync.WaitGroup

	mu     sync.Mutex
	idle   []*instance
	closed bool
}

var _ Tracer = (*Wasm)(nil)

// NewWasm compiles the VTracer module and returns a tracer that runs it.
// The module's SHA-256 must be WasmSHA256 unless opts.AllowUnverified.
func NewWasm(ctx context.Context, opts WasmOptions) (*Wasm, error) {
	code := opts.Module
	if code == nil {
		var err error
		if code, err = embeddedModule(assets); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256(code)
	hash := hex.EncodeToString(sum[:])
	version := wasmVersion + " sha256:" + hash
	if hash != WasmSHA256 {
		if !opts.AllowUnverified {
			return nil, &HashError{Want: WasmSHA256, Got: hash}
		}
		version = "vtracer-wasm (unverified build) sha256:" + hash
	}

	pages := opts.MemoryLimitPages
	if pages == 0 {
		pages = DefaultMemoryLimitPages
	}
	if pages > 65536 { // wasm32's whole 4 GiB address space
		return nil, fmt.Errorf("tracer: memory limit of %d pages exceeds wasm32's 65536", pages)
	}
	w := &Wasm{version: version, timeout: opts.Timeout, maxIdle: opts.MaxIdle, log: opts.Logger,
		memLimit: uint64(pages) << 16}
	w.closing, w.stopRunning = context.WithCancel(context.Background())
	if w.timeout <= 0 {
		w.timeout = DefaultTimeout
	}
	if w.maxIdle == 0 {
		w.maxIdle = runtime.GOMAXPROCS(0)
	}
	if w.log == nil {
		w.log = hclog.NewNullLogger()
	}
	w.log = w.log.Named("tracer")

	// Deadlines stop a running conversion through instrument's stop global,
	// not wazero's WithCloseOnContextDone, which costs 4.5× (see instrument).
	w.rt = wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().
		WithMemoryLimitPages(pages))
	if err := w.compile(ctx, code); err != nil {
		w.stopRunning()
		w.rt.Close(ctx)
		return nil, err
	}
	w.log.Debug("compiled", "version", version, "memory_limit_pages", pages)
	return w, nil
}

func (w *Wasm) compile(ctx context.Context, code []byte) error {
	code, st, err := wasmpatch.Instrument(code)
	if err != nil {
		return fmt.Errorf("tracer: %w", err)
	}
	w.log.Debug("instrumented", "float_selects", st.Selects, "loop_checks", st.Loops)
	if w.vtracer, err = w.rt.CompileModule(ctx, code); err != nil {
		return fmt.Errorf("tracer: compile vtracer.wasm: %w", err)
	}
	if w.tableinit, err = w.rt.CompileModule(ctx, tableinitWasm); err != nil {
		return fmt.Errorf("tracer: compile tableinit.wasm: %w", err)
	}
	return instantiateWBG(ctx, w.rt, w.vtracer)
}

// embeddedModule reads vtracer.wasm from the embedded assets directory.
func embeddedModule(fsys fs.FS) ([]byte, error) {
	code, err := fs.ReadFile(fsys, "assets/vtracer.wasm")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: it was not embedded when this program was built; run `make setup` and rebuild, or pass WasmOptions.Module", ErrNoModule)
	}
	if err != nil {
		return nil, fmt.Errorf("tracer: read embedded vtracer.wasm: %w", err)
	}
	return code, nil
}

// Version names the module: package, upstream crate version and SHA-256.
func (w *Wasm) Version() string { return w.version }

// Trace converts img with the parameters p, which must be valid.
func (w *Wasm) Trace(ctx context.Context, img *image.NRGBA, p vtracer.Params) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("tracer: %w", err)
	}
	return w.trace(ctx, img, wasmConfig(p))
}

// trace converts with a raw module configuration; tests use it to hand the
// module what Trace never would.
func (w *Wasm) trace(ctx context.Context, img *image.NRGBA, cfg *jsObject) ([]byte, error) {
	if err := checkImage(img); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	defer context.AfterFunc(w.closing, cancel)() // Close stops the conversion
	if err := ctx.Err(); err != nil {
		if w.isClosed() {
			return nil, ErrClosed
		}
		return nil, fmt.Errorf("tracer: conversion not started: %w", err)
	}
	in, err := w.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer w.running.Done()
	svg, err := in.trace(ctx, rgba(img), img.Rect.Dx(), img.Rect.Dy(), cfg)
	if err != nil {
		// A trapped or interrupted instance may be in any state: discard it.
		err = w.failure(ctx, in, err)
		in.close(context.Background())
		return nil, err
	}
	w.putBack(in)
	return svg, nil
}

// failure turns a failed call into the error Trace reports.
func (w *Wasm) failure(ctx context.Context, in *instance, err error) error {
	if w.isClosed() {
		return fmt.Errorf("%w during conversion", ErrClosed)
	}
	if cerr := ctx.Err(); cerr != nil {
		w.log.Debug("conversion stopped", "error", cerr)
		return fmt.Errorf("tracer: conversion stopped: %w", cerr)
	}
	pe := &PanicError{Message: in.panicReport, Err: err}
	var je *jsException
	if pe.Message == "" && errors.As(err, &je) {
		pe.Message = je.Error()
	}
	if pe.Message != "" && in.lastError != "" {
		pe.Message += "; last error created: " + in.lastError
	}
	if pe.Message == "" {
		// Upstream aborts without a report when an allocation fails.
		pe.Message = fmt.Sprintf("trap without a panic report, as when an allocation fails (memory in use %d MiB, limit %d MiB)",
			in.mem.Size()>>20, w.memLimit>>20)
		pe.MemoryLimit = w.memLimit
	}
	w.log.Warn("vtracer trapped; instance discarded", "report", pe.Message)
	return pe
}

// acquire takes an idle instance or makes a new one.
// On success the caller must call w.running.Done when it is finished.
func (w *Wasm) acquire(ctx context.Context) (*instance, error) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil, ErrClosed
	}
	w.running.Add(1)
	if n := len(w.idle); n > 0 {
		in := w.idle[n-1]
		w.idle[n-1] = nil
		w.idle = w.idle[:n-1]
		w.mu.Unlock()
		return in, nil
	}
	w.mu.Unlock()
	in, err := newInstance(ctx, w.rt, w.vtracer, w.tableinit)
	if err != nil {
		w.running.Done()
		if w.isClosed() {
			return nil, ErrClosed
		}
		if cerr := ctx.Err(); cerr != nil {
			return nil, fmt.Errorf("tracer: conversion not started: %w", cerr)
		}
		return nil, err
	}
	w.log.Trace("new instance")
	return in, nil
}

// putBack keeps an instance for reuse, or closes it when the pool is full,
// closed, or the instance holds too much memory.
func (w *Wasm) putBack(in *instance) {
	w.mu.Lock()
	if !w.closed && len(w.idle) < w.maxIdle && in.mem.Size() <= idleMemoryLimit {
		w.idle = append(w.idle, in)
		in = nil
	}
	w.mu.Unlock()
	if in != nil {
		in.close(context.Background())
	}
}

func (w *Wasm) isClosed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closed
}

// Close stops the conversions still running (they fail with ErrClosed),
// waits for them, and releases the runtime and every instance.
func (w *Wasm) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	idle := w.idle
	w.idle = nil
	w.mu.Unlock()
	w.stopRunning()
	w.running.Wait()
	ctx := context.Background()
	for _, in := range idle {
		in.close(ctx)
	}
	if err := w.rt.Close(ctx); err != nil {
		return fmt.Errorf("tracer: close runtime: %w", err)
	}
	return nil
}
