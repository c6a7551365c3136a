package resvg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const svgNS = `xmlns="http://www.w3.org/2000/svg"`

// opaqueRows reports, for each row of img, whether its middle pixel is
// opaque; opaqueCols the same for columns.
func opaqueRows(img *image.RGBA) string {
	var b strings.Builder
	for y := range img.Rect.Dy() {
		b.WriteByte(".#"[img.RGBAAt(img.Rect.Dx()/2, y).A/255])
	}
	return b.String()
}

func opaqueCols(img *image.RGBA) string {
	var b strings.Builder
	for x := range img.Rect.Dx() {
		b.WriteByte(".#"[img.RGBAAt(x, img.Rect.Dy()/2).A/255])
	}
	return b.String()
}

// TestRenderFits renders shapes, units and sizes the way resvg's fitTo
// does, filling the canvas or centred on it.
func TestRenderFits(t *testing.T) {
	r := sharedRenderer(t)
	rect := func(attrs string, w, h int) string {
		return fmt.Sprintf(`<svg %s %s><rect width="%d" height="%d" fill="#f00"/></svg>`, svgNS, attrs, w, h)
	}
	tests := []struct {
		name        string
		svg         string
		w, h        int
		rows, cols  string
		centre      [4]uint8 // RGBA at the centre
		transparent bool     // everything transparent
	}{
		{"px at its size", rect(`width="8" height="4"`, 8, 4), 8, 4, "####", "########", [4]uint8{255, 0, 0, 255}, false},
		{"pt units scaled", rect(`width="3pt" height="3pt" viewBox="0 0 3 3"`, 3, 3), 8, 8, "########", "########", [4]uint8{255, 0, 0, 255}, false},
		{"mm units scaled", rect(`width="10mm" height="5mm" viewBox="0 0 10 5"`, 10, 5), 8, 4, "####", "########", [4]uint8{255, 0, 0, 255}, false},
		{"viewBox only", rect(`viewBox="0 0 24 24"`, 24, 24), 6, 6, "######", "######", [4]uint8{255, 0, 0, 255}, false},
		{"wide on square", rect(`viewBox="0 0 20 10"`, 20, 10), 8, 8, "..####..", "########", [4]uint8{255, 0, 0, 255}, false},
		{"tall on square", rect(`viewBox="0 0 10 20"`, 10, 20), 8, 8, "########", "..####..", [4]uint8{255, 0, 0, 255}, false},
		{"half-transparent", `<svg ` + svgNS + ` width="2" height="2"><rect width="2" height="2" fill="#ff8000" fill-opacity="0.5"/></svg>`,
			2, 2, "..", "..", [4]uint8{128, 64, 0, 128}, false},
		{"circle", `<svg ` + svgNS + ` width="9" height="9"><circle cx="4.5" cy="4.5" r="4" fill="#00f"/></svg>`,
			9, 9, ".#######.", ".#######.", [4]uint8{0, 0, 255, 255}, false},
		{"stroke", `<svg ` + svgNS + ` viewBox="0 0 24 24" stroke="currentColor" fill="none"><path stroke-width="4" d="M0 12h24"/></svg>`,
			24, 24, "..........####..........", "########################", [4]uint8{0, 0, 0, 255}, false},
		{"text without fonts", `<svg ` + svgNS + ` width="40" height="20"><text x="0" y="15">svgai</text></svg>`,
			40, 20, "", "", [4]uint8{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img, err := r.Render(context.Background(), []byte(tt.svg), tt.w, tt.h)
			if err != nil {
				t.Fatal(err)
			}
			if img.Rect != image.Rect(0, 0, tt.w, tt.h) {
				t.Fatalf("image %v, want %dx%d", img.Rect, tt.w, tt.h)
			}
			if tt.transparent {
				if !bytes.Equal(img.Pix, make([]byte, len(img.Pix))) {
					t.Error("text drew pixels; no fonts are loaded")
				}
				return
			}
			if got := opaqueRows(img); got != tt.rows {
				t.Errorf("opaque rows %s, want %s", got, tt.rows)
			}
			if got := opaqueCols(img); got != tt.cols {
				t.Errorf("opaque columns %s, want %s", got, tt.cols)
			}
			c := img.RGBAAt(tt.w/2, tt.h/2)
			if [4]uint8{c.R, c.G, c.B, c.A} != tt.centre {
				t.Errorf("centre %v, want %v (premultiplied)", c, tt.centre)
			}
		})
	}
}

// TestRenderErrors checks that bad input gets a clear error and leaves the
// renderer working.
func TestRenderErrors(t *testing.T) {
	r := sharedRenderer(t)
	ok := []byte(`<svg ` + svgNS + ` width="4" height="4"><rect width="4" height="4"/></svg>`)
	tests := []struct {
		name    string
		svg     []byte
		w, h    int
		want    string
		resvgEr bool // an *Error from resvg itself
	}{
		{"zero width", ok, 0, 4, "canvas 0x4 is not positive", false},
		{"too wide", ok, MaxDimension + 1, 4, "exceeds 16384 pixels a side", false},
		{"too many pixels", ok, 10000, 10000, "exceeds 67108864 pixels", false},
		{"empty", nil, 4, 4, "resvg: SVG data parsing failed", true},
		{"not XML", []byte("hello"), 4, 4, "SVG data parsing failed cause unknown token", true},
		{"not SVG", []byte("<html/>"), 4, 4, "SVG data parsing failed", true},
		{"zero size", []byte(`<svg ` + svgNS + ` width="0" height="4"/>`), 4, 4, "SVG has an invalid size", true},
		{"not UTF-8", []byte("<svg " + svgNS + "><desc>\xff\xfe</desc></svg>"), 4, 4, "resvg: provided data has not an UTF-8 encoding", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Render(context.Background(), tt.svg, tt.w, tt.h)
			var re *Error
			if err == nil || !strings.Contains(err.Error(), tt.want) || errors.As(err, &re) != tt.resvgEr {
				t.Fatalf("err = %v, want one containing %q (resvg's own: %v)", err, tt.want, tt.resvgEr)
			}
			if _, err := r.Render(context.Background(), ok, 4, 4); err != nil {
				t.Fatalf("next render: %v", err)
			}
		})
	}
}

// billionUses is an SVG whose <use> elements expand to 10^levels
// rectangles: resvg would take minutes and gigabytes.
func billionUses(levels int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg %s xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><defs><rect id="a0" width="1" height="1"/>`, svgNS)
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, `<g id="a%d">`, i)
		for range 10 {
			fmt.Fprintf(&b, `<use xlink:href="#a%d"/>`, i-1)
		}
		b.WriteString(`</g>`)
	}
	fmt.Fprintf(&b, `</defs><use xlink:href="#a%d"/></svg>`, levels)
	return []byte(b.String())
}

// TestRenderStopsAtDeadline checks that a hostile SVG is stopped by the
// context, the instance discarded and the next render served.
func TestRenderStopsAtDeadline(t *testing.T) {
	r := sharedRenderer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.Render(ctx, billionUses(9), 64, 64)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
	t.Log(err)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopped after %v", d)
	}
	if _, err := r.Render(context.Background(), billionUses(1), 64, 64); err != nil {
		t.Fatalf("next render: %v", err)
	}
}

// TestRenderMemoryLimit checks that a render needing more memory than the
// limit fails with an error saying so, and that the next one is served.
func TestRenderMemoryLimit(t *testing.T) {
	ctx := context.Background()
	r, err := New(ctx, Options{MemoryLimitPages: 512, CacheDir: testCacheDir}) // 32 MiB
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	svg := []byte(`<svg ` + svgNS + ` width="4" height="4"><rect width="4" height="4" fill="#0a0"/></svg>`)
	_, err = r.Render(ctx, svg, 4096, 4096) // a 64 MiB canvas
	if err == nil || !strings.Contains(err.Error(), "limit 32 MiB") {
		t.Fatalf("err = %v, want one naming the memory limit", err)
	}
	if _, err := r.Render(ctx, svg, 64, 64); err != nil {
		t.Fatalf("next render: %v", err)
	}
}

// TestRenderReleasesHandles checks that the module drops every JavaScript
// value it was given or made during a render (Render clears the heap
// anyway, which would hide a leak).
func TestRenderReleasesHandles(t *testing.T) {
	r := sharedRenderer(t)
	ctx := context.Background()
	in, err := r.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.running.Done()
	defer in.close(ctx)
	svg, err := os.ReadFile(filepath.Join("testdata", "agree", "svg", "flag-us.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{64, 64}, {100, 30}, {30, 100}} { // fit to width, then to height
		if err := in.run(ctx, func(ctx context.Context) error {
			_, err := fit(ctx, in, svg, size[0], size[1])
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n := in.live(); n != 0 {
			t.Errorf("%d JavaScript values left after a %dx%d render", n, size[0], size[1])
		}
	}
	if len(in.heap) > 8 {
		t.Errorf("heap grew to %d values", len(in.heap))
	}
}

// TestRenderConcurrent renders fixtures from several goroutines and
// checks each result against a render made alone.
func TestRenderConcurrent(t *testing.T) {
	r := sharedRenderer(t)
	ctx := context.Background()
	names := []string{"flag-us", "tabler-home", "twemoji-1f308", "potrace-tabler-star"}
	want := map[string][]byte{}
	svgs := map[string][]byte{}
	for _, n := range names {
		svg, err := os.ReadFile(filepath.Join("testdata", "agree", "svg", n+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := r.Render(ctx, svg, 96, 96)
		if err != nil {
			t.Fatal(err)
		}
		svgs[n], want[n] = svg, img.Pix
	}
	var wg sync.WaitGroup
	for i := range 8 {
		n := names[i%len(names)]
		wg.Go(func() {
			img, err := r.Render(ctx, svgs[n], 96, 96)
			if err != nil {
				t.Error(err)
				return
			}
			if !bytes.Equal(img.Pix, want[n]) {
				t.Errorf("%s rendered concurrently differs from alone", n)
			}
		})
	}
	wg.Wait()
}

func TestNewErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := New(ctx, Options{Module: []byte("\x00asm\x01\x00\x00\x00")}); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("unverified module: err = %v", err)
	}
	if _, err := New(ctx, Options{Module: []byte("\x00asm\x01\x00\x00\x00"), AllowUnverified: true}); err == nil ||
		!strings.Contains(err.Error(), "does not export __wbindgen_malloc") {
		t.Errorf("empty module: err = %v, want one naming a missing export", err)
	}
	if _, err := New(ctx, Options{MemoryLimitPages: 70000}); err == nil || !strings.Contains(err.Error(), "65536") {
		t.Errorf("memory limit: err = %v", err)
	}
	if _, err := embeddedModule(os.DirFS(t.TempDir())); !errors.Is(err, ErrNoModule) {
		t.Errorf("no module: err = %v", err)
	}
	r, err := New(ctx, Options{CacheDir: testCacheDir})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := r.Render(ctx, []byte("<svg/>"), 4, 4); !errors.Is(err, ErrClosed) {
		t.Errorf("closed: err = %v", err)
	}
}
