package resvg

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/tetratelabs/wazero"

	"github.com/svgai/svgai/host/wasmpatch"
)

// WasmSHA256 is the SHA-256 of index_bg.wasm in the npm package
// @resvg/resvg-wasm@2.6.2, whose tarball `make setup` checks against the
// registry's published sha512 integrity.
const WasmSHA256 = "22bf6e9f9a100d972da0411a69c5ba504367fc1fa87b3b64e3f35e53926d2d70"

// wasmVersion names what WasmSHA256 is.
const wasmVersion = "@resvg/resvg-wasm@2.6.2"

// assets holds resvg.wasm when `make setup` has copied it there before the
// build; the committed README.md keeps the directory embeddable without it.
//
//go:embed assets
var assets embed.FS

// Limits and defaults (our choices). A canvas takes 4 bytes a pixel in the
// module's memory, and resvg allocates more canvases for group opacity,
// masks, clip paths and filters.
const (
	// MaxDimension bounds the width and height of a render, in pixels.
	MaxDimension = 1 << 14
	// MaxPixels bounds width × height: 256 MiB per canvas.
	MaxPixels = 1 << 26
	// MaxSVGBytes bounds the SVG a render accepts.
	MaxSVGBytes = 256 << 20
	// DefaultMemoryLimitPages caps each instance's memory at 2 GiB (64 KiB
	// pages): a MaxPixels canvas and a few layers.
	DefaultMemoryLimitPages = 32768
	// DefaultTimeout bounds one render on top of the caller's context (a
	// 256 px icon takes milliseconds).
	DefaultTimeout = 60 * time.Second
)

// idleMemoryLimit is the largest memory an instance may keep while idle:
// wasm memory never shrinks, so an instance grown by one huge render is
// dropped rather than pooled (our choice).
const idleMemoryLimit = 256 << 20

// Options configure New. The zero value is ready to use.
type Options struct {
	// Module is the resvg-wasm module; nil selects the embedded one.
	Module []byte
	// AllowUnverified accepts a module whose SHA-256 is not WasmSHA256.
	AllowUnverified bool
	// MemoryLimitPages caps each instance's memory in 64 KiB pages; 0
	// selects DefaultMemoryLimitPages.
	MemoryLimitPages uint32
	// Timeout bounds each render on top of the caller's context; 0 selects
	// DefaultTimeout.
	Timeout time.Duration
	// MaxIdle is how many instances are kept for reuse between renders; 0
	// selects GOMAXPROCS, a negative value keeps none.
	MaxIdle int
	// CacheDir, when set, keeps the compiled module in that directory
	// (wazero's compilation cache), so that later processes skip the
	// compile: a one-shot `svgai metrics` then starts in a fraction of the
	// time. Whoever can write the directory controls the machine code
	// loaded from it, as with Go's build cache. A cache that fails to load
	// is bypassed.
	CacheDir string
	// Logger receives diagnostics; nil discards them.
	Logger hclog.Logger
}

// Renderer renders SVG with resvg: resvg-wasm compiled once by wazero, one
// module instance per concurrent render. It is safe for concurrent use.
type Renderer struct {
	rt       wazero.Runtime
	code     wazero.CompiledModule
	version  string
	timeout  time.Duration
	maxIdle  int
	memLimit uint64 // bytes per instance
	log      hclog.Logger

	running sync.WaitGroup // renders between acquire and their end
	mu      sync.Mutex
	idle    []*instance
	closed  bool
}

// New compiles the resvg module (about 1.5 s: 2.5 MB of WebAssembly) and
// returns a renderer that runs it. The module's SHA-256 must be WasmSHA256
// unless opts.AllowUnverified.
func New(ctx context.Context, opts Options) (*Renderer, error) {
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
			return nil, fmt.Errorf("resvg: module SHA-256 %s, want %s (%s)", hash, WasmSHA256, wasmVersion)
		}
		version = "resvg-wasm (unverified build) sha256:" + hash
	}
	pages := opts.MemoryLimitPages
	if pages == 0 {
		pages = DefaultMemoryLimitPages
	}
	if pages > 65536 { // wasm32's whole 4 GiB address space
		return nil, fmt.Errorf("resvg: memory limit of %d pages exceeds wasm32's 65536", pages)
	}
	r := &Renderer{version: version, timeout: opts.Timeout, maxIdle: opts.MaxIdle, log: opts.Logger,
		memLimit: uint64(pages) << 16}
	if r.timeout <= 0 {
		r.timeout = DefaultTimeout
	}
	if r.maxIdle == 0 {
		r.maxIdle = runtime.GOMAXPROCS(0)
	}
	if r.log == nil {
		r.log = hclog.NewNullLogger()
	}
	r.log = r.log.Named("resvg")

	// Deadlines stop a render through wasmpatch's stop global, not wazero's
	// WithCloseOnContextDone (see wasmpatch.Instrument).
	code, st, err := wasmpatch.Instrument(code)
	if err != nil {
		return nil, fmt.Errorf("resvg: %w", err)
	}
	cfg := wazero.NewRuntimeConfig().WithMemoryLimitPages(pages)
	if opts.CacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(opts.CacheDir)
		if err == nil {
			r.rt = wazero.NewRuntimeWithConfig(ctx, cfg.WithCompilationCache(cache))
			if r.code, err = r.rt.CompileModule(ctx, code); err != nil {
				r.rt.Close(ctx)
			}
		}
		if err != nil {
			r.log.Warn("compilation cache bypassed", "dir", opts.CacheDir, "error", err)
		}
	}
	if r.code == nil {
		r.rt = wazero.NewRuntimeWithConfig(ctx, cfg)
		if r.code, err = r.rt.CompileModule(ctx, code); err != nil {
			r.rt.Close(ctx)
			return nil, fmt.Errorf("resvg: compile resvg.wasm: %w", err)
		}
	}
	if err := checkExports(r.code); err != nil {
		r.rt.Close(ctx)
		return nil, err
	}
	if err := instantiateWBG(ctx, r.rt, r.code); err != nil {
		r.rt.Close(ctx)
		return nil, err
	}
	r.log.Debug("compiled", "version", version, "float_selects", st.Selects, "loop_checks", st.Loops)
	return r, nil
}

// ErrNoModule reports that resvg.wasm was not embedded at build time.
var ErrNoModule = errors.New("resvg: no resvg.wasm")

// ErrClosed reports a render on a closed Renderer.
var ErrClosed = errors.New("resvg: renderer closed")

// Error is an error resvg itself reported, such as an SVG it cannot parse.
type Error struct{ Msg string }

func (e *Error) Error() string { return "resvg: " + e.Msg }

func embeddedModule(fsys fs.FS) ([]byte, error) {
	code, err := fs.ReadFile(fsys, "assets/resvg.wasm")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: it was not embedded when this program was built; run `make setup` and rebuild, or pass Options.Module", ErrNoModule)
	}
	if err != nil {
		return nil, fmt.Errorf("resvg: read embedded resvg.wasm: %w", err)
	}
	return code, nil
}

// Version names the module: package and SHA-256.
func (r *Renderer) Version() string { return r.version }

// Render draws svg on a transparent width×height canvas the way resvg
// does, scaled to fit (see fit.go): the SVG's size (width and height, in
// any unit at 96 dpi, or its viewBox when they are missing) is scaled
// uniformly to the canvas width, or to its height when the SVG is
// relatively taller, and centred. The result is resvg's premultiplied
// pixmap as an *image.RGBA, unrounded.
//
// Text renders as nothing: no fonts are loaded. External images (hrefs that
// are not data: URLs) are not loaded either.
func (r *Renderer) Render(ctx context.Context, svg []byte, width, height int) (*image.RGBA, error) {
	if err := checkSize(width, height); err != nil {
		return nil, err
	}
	if len(svg) > MaxSVGBytes {
		return nil, fmt.Errorf("resvg: SVG of %d bytes exceeds the limit of %d MiB", len(svg), MaxSVGBytes>>20)
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("resvg: render not started: %w", err)
	}
	in, err := r.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer r.running.Done()
	var out *image.RGBA
	err = in.run(ctx, func(ctx context.Context) error {
		var err error
		out, err = fit(ctx, in, svg, width, height)
		return err
	})
	in.clearHeap()
	if err != nil {
		var re *Error
		if errors.As(err, &re) {
			r.putBack(in) // resvg returned an error: the instance is sound
			return nil, err
		}
		err = r.failure(ctx, in, err)
		in.close(context.Background())
		return nil, err
	}
	r.putBack(in)
	return out, nil
}

// failure turns a call that trapped or was stopped into the error Render
// reports; the instance is to be discarded.
func (r *Renderer) failure(ctx context.Context, in *instance, err error) error {
	if errors.Is(err, errInterrupted) {
		return fmt.Errorf("resvg: render stopped: %w", context.Cause(ctx))
	}
	// wazero appends a wasm stack trace after the first line.
	msg, _, _ := strings.Cut(err.Error(), "\n")
	var je *jsException
	if !errors.As(err, &je) {
		msg += fmt.Sprintf(" (resvg panicked or an allocation failed; memory in use %d MiB, limit %d MiB)",
			in.mem.Size()>>20, r.memLimit>>20)
	}
	r.log.Warn("resvg trapped; instance discarded", "error", msg)
	return fmt.Errorf("resvg: render failed: %s", msg)
}

func checkSize(width, height int) error {
	if width <= 0 || height <= 0 {
		return fmt.Errorf("resvg: canvas %dx%d is not positive", width, height)
	}
	if width > MaxDimension || height > MaxDimension {
		return fmt.Errorf("resvg: canvas %dx%d exceeds %d pixels a side", width, height, MaxDimension)
	}
	if int64(width)*int64(height) > MaxPixels {
		return fmt.Errorf("resvg: canvas %dx%d exceeds %d pixels", width, height, MaxPixels)
	}
	return nil
}

// acquire takes an idle instance or makes a new one. On success the
// caller must call r.running.Done when it is finished with it.
func (r *Renderer) acquire(ctx context.Context) (*instance, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, ErrClosed
	}
	r.running.Add(1)
	if n := len(r.idle); n > 0 {
		in := r.idle[n-1]
		r.idle[n-1] = nil
		r.idle = r.idle[:n-1]
		r.mu.Unlock()
		return in, nil
	}
	r.mu.Unlock()
	in, err := newInstance(ctx, r.rt, r.code)
	if err != nil {
		r.running.Done()
		return nil, err
	}
	return in, nil
}

// putBack keeps an instance for reuse, or closes it when the pool is full,
// closed, or the instance holds too much memory.
func (r *Renderer) putBack(in *instance) {
	r.mu.Lock()
	if !r.closed && len(r.idle) < r.maxIdle && in.mem.Size() <= idleMemoryLimit {
		r.idle = append(r.idle, in)
		in = nil
	}
	r.mu.Unlock()
	if in != nil {
		in.close(context.Background())
	}
}

// Close waits for running renders, then releases the runtime and every
// instance. Later renders fail with ErrClosed.
func (r *Renderer) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	idle := r.idle
	r.idle = nil
	r.mu.Unlock()
	r.running.Wait()
	ctx := context.Background()
	for _, in := range idle {
		in.close(ctx)
	}
	if err := r.rt.Close(ctx); err != nil {
		return fmt.Errorf("resvg: close runtime: %w", err)
	}
	return nil
}

// DefaultCacheDir is where programs keep the compiled module between runs
// (Options.CacheDir): svgai/resvg under the user's cache directory
// ($XDG_CACHE_HOME or ~/.cache on Linux), or "" when there is none.
func DefaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "svgai", "resvg")
}
