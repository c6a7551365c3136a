package tracer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/svgai/svgai/shared/vtracer"
)

// upstreamConfigs are user-level parameter sets and, written out by hand,
// the module configuration upstream's command-line program derives from each
// (visioncortex/vtracer cmdapp/src/config.rs, Config::into_converter_config):
// filter_speckle² as the speckle area, 8 − color_precision as bits lost,
// degrees / 180 · π for the corner and splice thresholds; path mode `none`
// is the module's "pixel". The radians are what JavaScript prints for
// `deg / 180 * Math.PI`, the same IEEE operations as Rust's
// `deg as f64 / 180.0 * std::f64::consts::PI`.
var upstreamConfigs = []struct {
	name string
	p    func() vtracer.Params
	json string
}{
	{"default", vtracer.Default,
		`{"binary":false,"mode":"spline","hierarchical":"stacked","cornerThreshold":1.0471975511965976,"lengthThreshold":4,"maxIterations":10,"spliceThreshold":0.7853981633974483,"filterSpeckle":16,"colorPrecision":2,"layerDifference":16,"pathPrecision":2}`},
	{"color_precision=8", func() vtracer.Params { p := vtracer.Default(); p.ColorPrecision = 8; return p },
		`{"binary":false,"mode":"spline","hierarchical":"stacked","cornerThreshold":1.0471975511965976,"lengthThreshold":4,"maxIterations":10,"spliceThreshold":0.7853981633974483,"filterSpeckle":16,"colorPrecision":0,"layerDifference":16,"pathPrecision":2}`},
	{"photo", func() vtracer.Params { p, _ := vtracer.Preset("photo"); return p },
		`{"binary":false,"mode":"spline","hierarchical":"stacked","cornerThreshold":3.141592653589793,"lengthThreshold":4,"maxIterations":10,"spliceThreshold":0.7853981633974483,"filterSpeckle":100,"colorPrecision":0,"layerDifference":48,"pathPrecision":2}`},
	{"binary none cutout", func() vtracer.Params {
		return vtracer.Params{ColorMode: vtracer.Binary, Hierarchical: vtracer.Cutout, Mode: vtracer.None,
			FilterSpeckle: 1, ColorPrecision: 1, LayerDifference: 0, CornerThreshold: 90,
			LengthThreshold: 3.5, MaxIterations: 5, SpliceThreshold: 10, PathPrecision: 0}
	},
		`{"binary":true,"mode":"pixel","hierarchical":"cutout","cornerThreshold":1.5707963267948966,"lengthThreshold":3.5,"maxIterations":5,"spliceThreshold":0.17453292519943295,"filterSpeckle":1,"colorPrecision":7,"layerDifference":0,"pathPrecision":0}`},
	{"polygon", func() vtracer.Params {
		p := vtracer.Default()
		p.Mode, p.ColorPrecision, p.CornerThreshold, p.SpliceThreshold, p.LengthThreshold = vtracer.Polygon, 4, 0, 180, 10
		return p
	},
		`{"binary":false,"mode":"polygon","hierarchical":"stacked","cornerThreshold":0,"lengthThreshold":10,"maxIterations":10,"spliceThreshold":3.141592653589793,"filterSpeckle":16,"colorPrecision":4,"layerDifference":16,"pathPrecision":2}`},
}

// TestConfigTranslation checks the translation against upstream's, value
// for value.
func TestConfigTranslation(t *testing.T) {
	for _, tc := range upstreamConfigs {
		p := tc.p()
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := string(configJSON(wasmConfig(p))); got != tc.json {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.json)
		}
	}
}

// TestTranslationMatchesUpstream hands Node upstream's configurations as
// written in upstreamConfigs and compares its SVGs with Trace's on every
// fixture icon: the defaults reproduce upstream's default output, and
// color_precision 8 changes the output exactly as it does upstream.
func TestTranslationMatchesUpstream(t *testing.T) {
	node, glue, module := nodeOracle(t)
	icons := loadIcons(t)
	dir := t.TempDir()
	var m oracleManifest
	m.Repeat = 1
	for i, ic := range icons {
		raw := filepath.Join(dir, fmt.Sprintf("%d.rgba", i))
		if err := os.WriteFile(raw, rgba(ic.img), 0o600); err != nil {
			t.Fatal(err)
		}
		for j, tc := range upstreamConfigs {
			out := filepath.Join(dir, fmt.Sprintf("%d-%d.svg", i, j))
			m.Jobs = append(m.Jobs, oracleJob{raw, ic.img.Rect.Dx(), ic.img.Rect.Dy(), []byte(tc.json), out})
		}
	}
	if _, err := runOracle(context.Background(), node, glue, module, dir, m); err != nil {
		t.Fatal(err)
	}
	w := newTestWasm(t, WasmOptions{})
	precisionChanged := 0
	for i, ic := range icons {
		upstream := map[string][]byte{}
		for j, tc := range upstreamConfigs {
			want, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%d-%d.svg", i, j)))
			if err != nil {
				t.Fatalf("%s %s: node: %v", ic.name, tc.name, err)
			}
			upstream[tc.name] = want
			got, err := w.Trace(context.Background(), ic.img, tc.p())
			if err != nil {
				t.Fatalf("%s %s: %v", ic.name, tc.name, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s %s: Trace's SVG (%d bytes) differs from upstream's (%d bytes)", ic.name, tc.name, len(got), len(want))
			}
		}
		if !bytes.Equal(upstream["default"], upstream["color_precision=8"]) {
			precisionChanged++
		}
	}
	if precisionChanged == 0 {
		t.Error("upstream's color precision 8 changed no icon's SVG: the test shows nothing")
	}
	t.Logf("color_precision 8 vs 6 changes %d of %d icons, identically to upstream", precisionChanged, len(icons))
}
