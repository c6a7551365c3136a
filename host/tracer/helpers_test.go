package tracer

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// iconDir holds the repository's real-icon fixtures (see its README).
const iconDir = "../../testdata/icons"

// npmPackage is where `make setup` unpacks vtracer-wasm@0.1.0.
const npmPackage = "../../.cache/npm/vtracer-wasm/package"

type icon struct {
	name string
	img  *image.NRGBA
}

// loadIcons decodes every fixture icon.
func loadIcons(t testing.TB) []icon {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(iconDir, "*.png"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no icons in %s: %v", iconDir, err)
	}
	sort.Strings(paths)
	var icons []icon
	for _, p := range paths {
		icons = append(icons, icon{filepath.Base(p), loadPNG(t, p)})
	}
	return icons
}

// loadPNG decodes a PNG into non-premultiplied RGBA without loss: image/png
// yields NRGBA or paletted images of NRGBA colours for these files, and
// NRGBAModel passes NRGBA colours through unchanged.
func loadPNG(t testing.TB, path string) *image.NRGBA {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return toNRGBA(src)
}

func toNRGBA(src image.Image) *image.NRGBA {
	if n, ok := src.(*image.NRGBA); ok {
		return n
	}
	b := src.Bounds()
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			dst.SetNRGBA(x-b.Min.X, y-b.Min.Y, color.NRGBAModel.Convert(src.At(x, y)).(color.NRGBA))
		}
	}
	return dst
}

// logos256 makes 256×256 logos from the fixture icons by Catmull-Rom
// upscaling, which keeps their anti-aliased edges, as real logos have.
func logos256(t testing.TB) []icon {
	t.Helper()
	var out []icon
	for _, name := range []string{"twemoji-1f600.png", "twemoji-1f680.png", "tabler-heart-filled.png", "flag-br.png"} {
		src := loadPNG(t, filepath.Join(iconDir, name))
		dst := image.NewNRGBA(image.Rect(0, 0, 256, 256))
		xdraw.CatmullRom.Scale(dst, dst.Rect, src, src.Rect, xdraw.Src, nil)
		out = append(out, icon{name, dst})
	}
	return out
}

// newTestWasm returns a Wasm tracer on the embedded module, closed at the
// end of the test.
func newTestWasm(t testing.TB, opts WasmOptions) *Wasm {
	t.Helper()
	w, err := NewWasm(context.Background(), opts)
	if err != nil {
		t.Fatalf("NewWasm: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// noise returns an image of random colours, which VTracer finds hard: many
// clusters and paths.
func noise(w, h int, seed uint32) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	x := seed | 1
	for i := range img.Pix {
		x ^= x << 13 // xorshift32
		x ^= x >> 17
		x ^= x << 5
		img.Pix[i] = byte(x)
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	return img
}

var (
	pathRE = regexp.MustCompile(`<path `)
	fillRE = regexp.MustCompile(`fill="(#[0-9A-Fa-f]{6})"`)
)

// svgStats counts paths and distinct fill colours.
func svgStats(svg []byte) (paths, colors int) {
	set := map[string]bool{}
	for _, m := range fillRE.FindAllSubmatch(svg, -1) {
		set[string(m[1])] = true
	}
	return len(pathRE.FindAll(svg, -1)), len(set)
}
