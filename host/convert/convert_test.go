package convert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/quality"
	"github.com/svgai/svgai/shared/vtracer"
)

// icons are the real npm icons shared by the host's tests.
var icons = filepath.Join("..", "..", "testdata", "icons")

func TestMeasure(t *testing.T) {
	in, err := Load(solidPNG(t, 24, 16, color.NRGBA{200, 30, 40, 255}), 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		svg       string
		paths     int
		identical bool
		errText   string
	}{
		{"exact cover", `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="16"><path d="M0 0 L24 0 L24 16 L0 16 Z" fill="#c81e28"/></svg>`, 1, true, ""},
		{"half cover", `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="16"><path d="M0 0 L12 0 L12 16 L0 16 Z" fill="#c81e28"/><path d="M30 30 L31 30 L31 31 Z" fill="#000"/></svg>`, 2, false, ""},
		{"not SVG", `hello`, 0, false, "svg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, paths, err := Measure(in.Image, []byte(tt.svg))
			if tt.errText != "" {
				if err == nil || !strings.Contains(strings.ToLower(err.Error()), tt.errText) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if paths != tt.paths || math.IsInf(s.PSNR, 1) != tt.identical || (s.MSE == 0) != tt.identical {
				t.Errorf("scores %+v, %d paths; want %d paths, identical %v", s, paths, tt.paths, tt.identical)
			}
		})
	}
}

func TestNewReport(t *testing.T) {
	in := &Input{Path: "a.png", SHA256: "ab", Image: image.NewNRGBA(image.Rect(0, 0, 3, 2)),
		Info: imageio.Info{Format: "png", Width: 3, Height: 2}}
	p := vtracer.Default()
	tests := []struct {
		name   string
		res    Result
		inJSON []string
		absent []string
	}{
		{"converted", Result{Params: p, SVG: []byte("<svg/>"), Quality: quality.Scores{SSIM: 0.9, MSE: 4, PSNR: 42.1},
			Paths: 7, TraceTime: 1500 * time.Microsecond, MetricTime: 2 * time.Millisecond, Tracer: "wasm"},
			[]string{`"input":"a.png"`, `"image_sha256":"ab"`, `"width":3`, `"height":2`, `"format":"png"`,
				`"params":` + string(p.MarshalCanonical()), `"ssim":0.9`, `"mse":4`, `"psnr":42.1`,
				`"svg_bytes":6`, `"paths":7`, `"ms":1.5`, `"metric_ms":2`, `"tracer":"wasm"`},
			[]string{`"identical"`}},
		{"identical, no params", Result{SVG: []byte("<svg/>"), Quality: quality.Scores{SSIM: 1, PSNR: math.Inf(1)}},
			[]string{`"psnr":null`, `"identical":true`, `"mse":0`, `"ssim":1`},
			[]string{`"params"`, `"tracer"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(NewReport(in, &tt.res))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.inJSON {
				if !bytes.Contains(b, []byte(s)) {
					t.Errorf("%s lacks %s", b, s)
				}
			}
			for _, s := range tt.absent {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s has %s", b, s)
				}
			}
		})
	}
}

// TestConvertIcons runs real conversions with the embedded VTracer module.
func TestConvertIcons(t *testing.T) {
	ctx := context.Background()
	tr, err := OpenTracer(ctx, config.Default().Tracer, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	c := &Converter{Tracer: tr}
	files, err := filepath.Glob(filepath.Join(icons, "*.png"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no icons: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in, err := LoadFile(f, 0)
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Convert(ctx, in.Image, vtracer.Default())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(res.SVG, []byte("<svg")) || res.Paths == 0 || res.Params != vtracer.Default() {
				t.Fatalf("result %d bytes, %d paths, params %+v", len(res.SVG), res.Paths, res.Params)
			}
			// The scores are those of the SVG as written.
			s, paths, err := Measure(in.Image, res.SVG)
			if err != nil || s != res.Quality || paths != res.Paths {
				t.Errorf("re-measuring gives %+v %d %v, Convert said %+v %d", s, paths, err, res.Quality, res.Paths)
			}
			if q := res.Quality; q.SSIM < 0.5 || q.SSIM > 1 || q.MSE <= 0 || res.TraceTime <= 0 || res.MetricTime <= 0 {
				t.Errorf("implausible measurements %+v, trace %v, metric %v", q, res.TraceTime, res.MetricTime)
			}
		})
	}
	// Invalid parameters are refused before tracing, naming the parameter.
	in, err := LoadFile(files[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	p := vtracer.Default()
	p.CornerThreshold = 200
	if _, err := c.Convert(ctx, in.Image, p); err == nil || !strings.Contains(err.Error(), "corner_threshold = 200") {
		t.Errorf("err = %v, want one naming corner_threshold", err)
	}
}

func TestOpenTracerErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notWasm := filepath.Join(dir, "fake.wasm")
	if err := os.WriteFile(notWasm, []byte("\x00asm not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*config.Tracer)
		want string
	}{
		{"missing wasm file", func(c *config.Tracer) { c.WasmPath = filepath.Join(dir, "none.wasm") }, "tracer.wasm_path"},
		{"unverified wasm", func(c *config.Tracer) { c.WasmPath = notWasm }, "sha256"},
		{"missing CLI", func(c *config.Tracer) { c.Backend, c.CLIPath = "cli", filepath.Join(dir, "vtracer") }, "vtracer"},
		{"unknown backend", func(c *config.Tracer) { c.Backend = "gpu" }, `tracer.backend = "gpu"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default().Tracer
			tt.edit(&cfg)
			tr, err := OpenTracer(ctx, cfg, nil)
			if err == nil {
				tr.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

// TestConvertCancelled checks that a cancelled context stops a conversion
// with an error rather than a result.
func TestConvertCancelled(t *testing.T) {
	tr, err := OpenTracer(context.Background(), config.Default().Tracer, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	in, err := LoadFile(filepath.Join(icons, "flag-br.png"), 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := (&Converter{Tracer: tr}).Convert(ctx, in.Image, vtracer.Default())
	if !errors.Is(err, context.Canceled) || res != nil || !strings.HasPrefix(err.Error(), "trace: ") {
		t.Fatalf("cancelled conversion: %v, %v", res, err)
	}
	// The tracer carries on afterwards.
	if _, err := (&Converter{Tracer: tr}).Convert(context.Background(), in.Image, vtracer.Default()); err != nil {
		t.Fatalf("conversion after a cancelled one: %v", err)
	}
}
