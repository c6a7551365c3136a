package tracer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/svgai/svgai/shared/vtracer"
)

type namedParams struct {
	name string
	p    vtracer.Params
}

// oracleParams is the parameter table the Node comparison runs: defaults,
// every preset, each enumerated choice, and the ends of every range.
func oracleParams() []namedParams {
	with := func(name string, f func(*vtracer.Params)) namedParams {
		p := vtracer.Default()
		f(&p)
		return namedParams{name, p}
	}
	out := []namedParams{{"default", vtracer.Default()}}
	for _, name := range vtracer.PresetNames() {
		p, _ := vtracer.Preset(name)
		out = append(out, namedParams{"preset-" + name, p})
	}
	return append(out,
		with("color_precision=8", func(p *vtracer.Params) { p.ColorPrecision = 8 }),
		with("color_precision=1", func(p *vtracer.Params) { p.ColorPrecision = 1 }),
		with("binary", func(p *vtracer.Params) { p.ColorMode = vtracer.Binary }),
		with("binary-polygon", func(p *vtracer.Params) { p.ColorMode, p.Mode = vtracer.Binary, vtracer.Polygon }),
		with("polygon", func(p *vtracer.Params) { p.Mode = vtracer.Polygon }),
		with("none", func(p *vtracer.Params) { p.Mode = vtracer.None }),
		with("cutout", func(p *vtracer.Params) { p.Hierarchical = vtracer.Cutout }),
		with("cutout-none", func(p *vtracer.Params) { p.Hierarchical, p.Mode = vtracer.Cutout, vtracer.None }),
		with("min", func(p *vtracer.Params) {
			*p = vtracer.Params{ColorMode: vtracer.Color, Hierarchical: vtracer.Stacked, Mode: vtracer.Spline,
				FilterSpeckle: 1, ColorPrecision: 1, LayerDifference: 0, CornerThreshold: 0,
				LengthThreshold: 3.5, MaxIterations: 1, SpliceThreshold: 0, PathPrecision: 0}
		}),
		with("max", func(p *vtracer.Params) {
			*p = vtracer.Params{ColorMode: vtracer.Color, Hierarchical: vtracer.Stacked, Mode: vtracer.Spline,
				FilterSpeckle: 16, ColorPrecision: 8, LayerDifference: 255, CornerThreshold: 180,
				LengthThreshold: 10, MaxIterations: 100, SpliceThreshold: 180, PathPrecision: 8}
		}),
		with("fine", func(p *vtracer.Params) {
			p.FilterSpeckle, p.ColorPrecision, p.LayerDifference, p.CornerThreshold = 1, 8, 1, 10
			p.LengthThreshold, p.SpliceThreshold, p.PathPrecision = 3.75, 10, 3
		}),
	)
}

// configJSON renders a module configuration as the JSON object the Node
// oracle hands to to_svg, keys in order. Go's float formatting is the
// shortest that round-trips, so JavaScript parses the very same doubles.
func configJSON(cfg *jsObject) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range cfg.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(cfg.vals[i])
		if err != nil {
			panic(err) // test bug: only bools, strings and finite numbers
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes()
}

type oracleJob struct {
	RGBA   string          `json:"rgba"`
	Width  int             `json:"width"`
	Height int             `json:"height"`
	Config json.RawMessage `json:"config"`
	Out    string          `json:"out,omitempty"`
}

type oracleManifest struct {
	Warmup int         `json:"warmup"`
	Repeat int         `json:"repeat"`
	Jobs   []oracleJob `json:"jobs"`
}

type oracleSummary struct {
	Conversions     int     `json:"conversions"`
	MsPerConversion float64 `json:"ms_per_conversion"`
}

// nodeOracle locates node and the npm package's glue, skipping the test when
// node is missing. The package must hold the verified module.
func nodeOracle(t testing.TB) (node, glue, module string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH: skipping the comparison with the reference JavaScript host")
	}
	glue, module = filepath.Join(npmPackage, "vtracer.js"), filepath.Join(npmPackage, "vtracer.wasm")
	code, err := os.ReadFile(module)
	if err != nil {
		t.Fatalf("%v (run `make setup`)", err)
	}
	if sum := sha256.Sum256(code); hex.EncodeToString(sum[:]) != WasmSHA256 {
		t.Fatalf("%s is not the verified module", module)
	}
	glue, _ = filepath.Abs(glue)
	module, _ = filepath.Abs(module)
	return node, glue, module
}

// runOracle writes the manifest and runs testdata/oracle.mjs on it.
func runOracle(ctx context.Context, node, glue, module, dir string, m oracleManifest) (oracleSummary, error) {
	var sum oracleSummary
	mb, err := json.Marshal(m)
	if err != nil {
		return sum, err
	}
	mp := filepath.Join(dir, "manifest.json")
	if err := os.WriteFile(mp, mb, 0o600); err != nil {
		return sum, err
	}
	cmd := exec.CommandContext(ctx, node, "testdata/oracle.mjs", glue, module, mp)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return sum, fmt.Errorf("node oracle: %v: %s", err, stderr.String())
	}
	if err := json.Unmarshal(out, &sum); err != nil {
		return sum, fmt.Errorf("node oracle summary %q: %v", out, err)
	}
	return sum, nil
}

// TestMatchesNode checks that the wazero host gives byte-identical SVGs to
// the same module under Node with its own glue, for every fixture icon and
// every parameter set in oracleParams.
func TestMatchesNode(t *testing.T) {
	node, glue, module := nodeOracle(t)
	icons := loadIcons(t)
	params := oracleParams()
	dir := t.TempDir()

	var m oracleManifest
	type key struct{ icon, params string }
	outs := map[key]string{}
	for i, ic := range icons {
		raw := filepath.Join(dir, fmt.Sprintf("%d.rgba", i))
		if err := os.WriteFile(raw, rgba(ic.img), 0o600); err != nil {
			t.Fatal(err)
		}
		for j, np := range params {
			out := filepath.Join(dir, fmt.Sprintf("%d-%d.svg", i, j))
			outs[key{ic.name, np.name}] = out
			m.Jobs = append(m.Jobs, oracleJob{raw, ic.img.Rect.Dx(), ic.img.Rect.Dy(), configJSON(wasmConfig(np.p)), out})
		}
	}
	m.Repeat = 1

	// Node runs in the background while Go converts the same jobs.
	nodeDone := make(chan error, 1)
	go func() {
		_, err := runOracle(context.Background(), node, glue, module, dir, m)
		nodeDone <- err
	}()

	w := newTestWasm(t, WasmOptions{})
	var mu sync.Mutex
	got := map[key][]byte{}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, ic := range icons {
		for _, np := range params {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				svg, err := w.Trace(context.Background(), ic.img, np.p)
				if err != nil {
					t.Errorf("%s %s: %v", ic.name, np.name, err)
				}
				mu.Lock()
				got[key{ic.name, np.name}] = svg
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	if err := <-nodeDone; err != nil {
		t.Fatal(err)
	}

	same := 0
	for k, out := range outs {
		want, err := os.ReadFile(out)
		if err != nil {
			msg, _ := os.ReadFile(out + ".err")
			t.Errorf("%s %s: node failed: %s", k.icon, k.params, msg)
			continue
		}
		if !bytes.Equal(got[k], want) {
			t.Errorf("%s %s: wazero SVG (%d bytes) differs from node's (%d bytes)", k.icon, k.params, len(got[k]), len(want))
			continue
		}
		same++
	}
	t.Logf("%d of %d conversions byte-identical (%d icons × %d parameter sets)", same, len(outs), len(icons), len(params))
}

// TestUpstreamHasNoDefaults shows that vtracer-wasm fills in nothing: every
// one of the eleven keys is required, and leaving any out makes the module
// panic while deserialising the config (src/lib.rs). So the only defaults are
// upstream's user-level ones (cmdapp Config::default), whose translation
// TestConfigTranslation checks.
func TestUpstreamHasNoDefaults(t *testing.T) {
	w := newTestWasm(t, WasmOptions{MaxIdle: 1})
	img := loadPNG(t, filepath.Join(iconDir, "twemoji-2764-fe0f.png"))
	ctx := context.Background()
	want, err := w.Trace(ctx, img, vtracer.Default())
	if err != nil {
		t.Fatal(err)
	}
	full := wasmConfig(vtracer.Default())
	for i, k := range append([]string{"(all)"}, full.keys...) {
		cfg := &jsObject{}
		if i > 0 {
			for j, kk := range full.keys {
				if kk != k {
					cfg.keys = append(cfg.keys, kk)
					cfg.vals = append(cfg.vals, full.vals[j])
				}
			}
		}
		_, err := w.trace(ctx, img, cfg)
		var pe *PanicError
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, `file: "src/lib.rs"`) {
			t.Errorf("without %s: got %v, want a panic in src/lib.rs", k, err)
		}
	}
	// Each panic discarded its instance; a fresh one gives the same SVG.
	got, err := w.Trace(ctx, img, vtracer.Default())
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("after panics: err %v, same SVG %v", err, bytes.Equal(got, want))
	}
}

// TestColorPrecisionIsBitsLost shows the module takes colour precision as
// bits lost, as upstream's translation says: the user's 8 passed through
// unchanged trips visioncortex's `is_same_color_a < 8` assertion, while
// translated (8 → 0 bits lost) it converts, differently from the default 6
// (2 bits lost). TestTranslationMatchesUpstream checks those outputs
// against upstream's own under Node.
func TestColorPrecisionIsBitsLost(t *testing.T) {
	w := newTestWasm(t, WasmOptions{})
	ctx := context.Background()
	icons := loadIcons(t)

	raw := wasmConfig(vtracer.Default())
	raw.vals[8] = 8.0 // colorPrecision, as the user wrote it
	_, err := w.trace(ctx, icons[0].img, raw)
	var pe *PanicError
	if !errors.As(err, &pe) || !strings.Contains(pe.Message, "color_clusters/runner.rs") {
		t.Errorf("raw colorPrecision 8: got %v, want visioncortex's runner.rs assertion", err)
	}

	p6, p8 := vtracer.Default(), vtracer.Default()
	p8.ColorPrecision = 8
	differ := 0
	for _, ic := range icons {
		s6, err6 := w.Trace(ctx, ic.img, p6)
		s8, err8 := w.Trace(ctx, ic.img, p8)
		if err6 != nil || err8 != nil {
			t.Fatalf("%s: %v %v", ic.name, err6, err8)
		}
		if !bytes.Equal(s6, s8) {
			differ++
		}
		t.Logf("%-24s SVG bytes: precision 6 %5d, 8 %5d", ic.name, len(s6), len(s8))
	}
	if differ == 0 {
		t.Error("precision 8 gave the same SVG as 6 on every icon")
	}
}
