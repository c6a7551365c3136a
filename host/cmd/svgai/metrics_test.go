package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/host/convert"
)

// TestMetricsIdentical scores an SVG that renders exactly like its PNG: PSNR
// is infinite, which the JSON says as "psnr": null with "identical": true.
func TestMetricsIdentical(t *testing.T) {
	dir := t.TempDir()
	img := image.NewNRGBA(image.Rect(0, 0, 32, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 32; x++ {
			c := color.NRGBA{0x20, 0x60, 0xc0, 0xff}
			if x >= 16 {
				c = color.NRGBA{0xff, 0xcc, 0x00, 0xff}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	pngPath := filepath.Join(dir, "two.png")
	svgPath := filepath.Join(dir, "two.svg")
	writeFile(t, pngPath, b.Bytes())
	writeFile(t, svgPath, []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="32" height="20">`+
		`<path d="M0 0 L16 0 L16 20 L0 20 Z" fill="#2060c0"/><path d="M16 0 H32 V20 H16 Z" fill="#ffcc00"/></svg>`))

	code, out, errs := svgai(t, "metrics", pngPath, svgPath, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"psnr": "null", "identical": "true", "mse": "0", "ssim": "1", "paths": "2",
		"width": "32", "height": "20", "format": `"png"`} {
		if string(raw[k]) != want {
			t.Errorf("%s = %s, want %s (%s)", k, raw[k], want, out)
		}
	}
	if _, ok := raw["params"]; ok {
		t.Errorf("metrics report has params: %s", out)
	}
	if _, ok := raw["ms"]; ok {
		t.Errorf("metrics report has a conversion time: %s", out)
	}

	code, out, _ = svgai(t, "metrics", pngPath, svgPath)
	if code != 0 || !strings.Contains(out, "PSNR inf (identical)") {
		t.Errorf("summary %q", out)
	}
}

func TestMetricsErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.svg")
	writeFile(t, bad, []byte("<svg width='64' height='64'><path d='M0 0 L q'/></svg>"))
	text := filepath.Join(dir, "notes.svg")
	writeFile(t, text, []byte("just some text"))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no SVG namespace", []string{icon, bad}, 1, "bad.svg: resvg: SVG data parsing failed cause the document does not have a root node"},
		{"not SVG", []string{text, bad}, 1, "not a PNG or JPEG"},
		{"SVG not XML", []string{icon, text}, 1, "notes.svg: resvg: SVG data parsing failed cause unknown token at 1:1"},
		{"missing SVG", []string{icon, filepath.Join(dir, "none.svg")}, 1, "none.svg"},
		{"too many", []string{icon, bad, bad}, 2, "want an image and an SVG, got 3 arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := svgai(t, append([]string{"metrics"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.want) || strings.Contains(errs, "panic") {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.want)
			}
		})
	}
}

// TestMetricsAnySVG scores SVGs made elsewhere, which svgrender refuses,
// against their reference rasters (host/resvg/testdata/agree): the figures
// agree with scikit-image on resvg-js's renders (golden.json).
func TestMetricsAnySVG(t *testing.T) {
	dir := filepath.Join("..", "..", "resvg", "testdata", "agree")
	raw, err := os.ReadFile(filepath.Join(dir, "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []struct {
			Name string
			SSIM float64
		}
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	for _, c := range golden.Cases {
		want[c.Name] = c.SSIM
	}
	for _, tc := range []struct{ name, why string }{
		{"potrace-tabler-home", "pt units"},
		{"tabler-home", "strokes"},
		{"twemoji-1f600", "a <circle>, viewBox only"},
		{"flag-cn", "<use>"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			code, out, errs := svgai(t, "metrics", filepath.Join(dir, "ref", tc.name+".png"),
				filepath.Join(dir, "svg", tc.name+".svg"), "--json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var rep convert.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if d := rep.SSIM - want[tc.name]; d > 0.002 || d < -0.002 {
				t.Errorf("SSIM %.5f, scikit-image on resvg-js's render %.5f", rep.SSIM, want[tc.name])
			}
		})
	}
}

// TestMetricsVTracerAsConvert scores VTracer's own output again: metrics
// renders it with svgrender, as convert did, so the figures are the same.
func TestMetricsVTracerAsConvert(t *testing.T) {
	svgPath := filepath.Join(t.TempDir(), "out.svg")
	code, out, errs := svgai(t, "convert", icon, "-o", svgPath, "--json")
	if code != 0 {
		t.Fatalf("convert: exit %d: %s", code, errs)
	}
	var conv, met convert.Report
	if err := json.Unmarshal([]byte(out), &conv); err != nil {
		t.Fatal(err)
	}
	code, out, errs = svgai(t, "metrics", icon, svgPath, "--json")
	if code != 0 {
		t.Fatalf("metrics: exit %d: %s", code, errs)
	}
	if err := json.Unmarshal([]byte(out), &met); err != nil {
		t.Fatal(err)
	}
	if met.SSIM != conv.SSIM || met.MSE != conv.MSE || met.Paths != conv.Paths {
		t.Errorf("metrics SSIM %v MSE %v paths %d; convert reported %v, %v, %d",
			met.SSIM, met.MSE, met.Paths, conv.SSIM, conv.MSE, conv.Paths)
	}
}

func TestVersion(t *testing.T) {
	code, out, errs := svgai(t, "version")
	if code != 0 || !strings.HasPrefix(out, "svgai "+version+"\n") || !strings.Contains(out, "tracer: vtracer-wasm@0.1.0") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, _, errs := svgai(t, "version", "extra"); code != 2 || !strings.Contains(errs, "no arguments") {
		t.Errorf("version extra: exit %d, %q", code, errs)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
