package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpus copies the real icons into a tree with a subfolder, a bad file
// among them and a hidden folder (ignored), and returns its root.
func corpus(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	icons, _ := filepath.Glob(filepath.Join(filepath.Dir(icon), "*.png"))
	for _, f := range icons {
		dst := filepath.Join(root, filepath.Base(f))
		if strings.HasPrefix(filepath.Base(f), "flag-") {
			dst = filepath.Join(root, "flags", filepath.Base(f))
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		writeFile(t, dst, readAll(t, mustOpen(t, f)))
	}
	writeFile(t, filepath.Join(root, "flags", "broken.png"), []byte("\x89PNG\r\n\x1a\nnot really"))
	os.MkdirAll(filepath.Join(root, ".cache"), 0o755)
	writeFile(t, filepath.Join(root, ".cache", "x.png"), readAll(t, mustOpen(t, icon)))
	writeFile(t, filepath.Join(root, "notes.txt"), []byte("not an image, not picked up"))
	return root
}

// jsonLines decodes one object per line.
func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for sc := bufio.NewScanner(strings.NewReader(s)); sc.Scan(); {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// TestBatch converts a folder with a bad file among good ones: each good
// image is written where the tree says, the bad one gets its own error
// line (and JSON object), the exit status is 1, the summary table follows;
// a rerun skips everything up to date, --force and new parameters redo it.
func TestBatch(t *testing.T) {
	in := corpus(t)
	out := filepath.Join(t.TempDir(), "svg")
	code, stdout, stderr := svgai(t, "convert", in, "-o", out, "--json", "-j", "2")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one bad file)\n%s", code, stderr)
	}
	lines := jsonLines(t, stdout)
	var good, bad []string
	for _, l := range lines {
		if e, ok := l["error"].(string); ok {
			bad = append(bad, l["input"].(string))
			if !strings.Contains(e, "broken.png") {
				t.Errorf("error %q does not name the file", e)
			}
			continue
		}
		good = append(good, l["output"].(string))
	}
	sort.Strings(good)
	if len(good) != 9 || len(bad) != 1 || !strings.HasSuffix(bad[0], filepath.Join("flags", "broken.png")) {
		t.Fatalf("%d good, bad %v; want 9 and flags/broken.png", len(good), bad)
	}
	for _, g := range good {
		rel, _ := filepath.Rel(out, g)
		if _, err := os.Stat(g); err != nil || (strings.Contains(rel, "flag-") != strings.HasPrefix(rel, "flags"+string(filepath.Separator))) {
			t.Errorf("output %s (%v): the tree is not mirrored", rel, err)
		}
	}
	for _, want := range []string{"broken.png", "convert summary", "images       10", "written      9", "failed       1", "SSIM         mean"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ".cache")); err == nil {
		t.Error("a hidden folder was converted")
	}

	// Rerun: everything written is up to date.
	code, stdout, stderr = svgai(t, "convert", in, "-o", out, "--json")
	if code != 1 || len(jsonLines(t, stdout)) != 1 || !strings.Contains(stderr, "up to date   9") {
		t.Errorf("rerun: exit %d, %d lines, stderr:\n%s", code, len(jsonLines(t, stdout)), stderr)
	}
	// --force, and other parameters, convert again.
	for _, args := range [][]string{{"--force"}, {"--preset", "bw"}} {
		code, stdout, _ = svgai(t, append([]string{"convert", in, "-o", out, "--json", "-q"}, args...)...)
		if n := len(jsonLines(t, stdout)); code != 1 || n != 10 {
			t.Errorf("%v: exit %d, %d lines; want 1 and 10", args, code, n)
		}
	}
	// An edited input is converted again; the others are not.
	writeFile(t, filepath.Join(in, "twemoji-1f34e.png"), readAll(t, mustOpen(t, filepath.Join(in, "twemoji-1f600.png"))))
	code, stdout, _ = svgai(t, "convert", in, "-o", out, "--json", "--preset", "bw", "-q")
	if l := jsonLines(t, stdout); code != 1 || len(l) != 2 {
		t.Errorf("after an edit: exit %d, %d lines; want the edited image and the bad one", code, len(l))
	}
}

// TestBatchGlobAndFiles: globs svgai expands and several files, into a
// folder; a missing file is one failure among successes.
func TestBatchGlobAndFiles(t *testing.T) {
	in := corpus(t)
	out := t.TempDir()
	code, stdout, stderr := svgai(t, "convert", filepath.Join(in, "twemoji-*.png"), filepath.Join(in, "flags", "flag-jp.png"),
		filepath.Join(in, "missing.png"), "-o", out+"/")
	if code != 1 || strings.Count(stdout, " -> ") != 5 || !strings.Contains(stderr, "missing.png") {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"twemoji-1f600.svg", "flag-jp.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestPipes: - is standard input for images, parameter files and logs, and
// standard output for the SVG.
func TestPipes(t *testing.T) {
	png := readAll(t, mustOpen(t, icon))
	code, stdout, stderr := svgaiIn(t, png, "convert", "-", "-o", "-")
	if code != 0 || !strings.HasPrefix(stdout, "<?xml") || !strings.HasSuffix(strings.TrimSpace(stdout), "</svg>") {
		t.Fatalf("convert - -o -: exit %d, stdout %.80q, stderr %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "standard input -> standard output: SSIM") {
		t.Errorf("the report line belongs on standard error: %q", stderr)
	}
	// The SVG from the pipe scores the same when read back through one.
	dir := t.TempDir()
	svgPath := filepath.Join(dir, "o.svg")
	writeFile(t, svgPath, []byte(stdout))
	code, out, errs := svgaiIn(t, png, "metrics", "-", svgPath, "--json")
	if code != 0 || !strings.Contains(out, `"output":"`+svgPath+`"`) || strings.Contains(out, `"input"`) {
		t.Errorf("metrics - file: exit %d, %s %s", code, out, errs)
	}
	code, out, _ = svgaiIn(t, []byte(stdout), "metrics", icon, "-", "--json")
	if code != 0 || !strings.Contains(out, `"ssim"`) {
		t.Errorf("metrics file -: exit %d, %s", code, out)
	}
	// JSON output and stdin input together.
	code, out, _ = svgaiIn(t, png, "convert", "-", "-o", svgPath, "--json", "-q")
	if l := jsonLines(t, out); code != 0 || len(l) != 1 || l[0]["output"] != svgPath {
		t.Errorf("convert - -o FILE --json: exit %d, %s", code, out)
	}
	// --params-file - : read (a bad line names standard input), then the
	// plugin is needed.
	code, _, errs = svgaiIn(t, []byte("{\"color_precision\":99}\n"), "predict", icon, "--params-file", "-")
	if code != 2 || !strings.Contains(errs, "standard input") || !strings.Contains(errs, "color_precision") {
		t.Errorf("predict --params-file - (bad): exit %d, %s", code, errs)
	}
	code, _, errs = svgaiIn(t, []byte("{}\n{\"mode\":\"none\"}\n"), "predict", icon, "--params-file", "-", "--config", hostConfig(t, "[features]\nprediction = false\n"))
	if code != 1 || !strings.Contains(errs, "svgai doctor") {
		t.Errorf("predict --params-file -: exit %d, %s", code, errs)
	}
	if code, _, errs := svgaiIn(t, png, "predict", "-", "--params-file", "-"); code != 2 {
		t.Errorf("two standard inputs: exit %d, %s", code, errs)
	}
}

// tinyPNG encodes a w×h image.
func tinyPNG(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(40 * x), 200, uint8(30 * y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestTinyImages converts and optimizes images smaller than the SSIM
// window.
func TestTinyImages(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {3, 2}, {10, 10}, {64, 5}} {
		for _, cmd := range []string{"convert", "optimize"} {
			code, out, errs := svgaiIn(t, tinyPNG(t, sz[0], sz[1]), cmd, "-", "-o", filepath.Join(t.TempDir(), "t.svg"), "--json",
				"--config", hostConfig(t, "[features]\nprediction = false\n"))
			l := jsonLines(t, out)
			key := map[string]string{"convert": "ssim", "optimize": "achieved_ssim"}[cmd]
			if code != 0 || len(l) != 1 {
				t.Fatalf("%s %dx%d: exit %d, %s", cmd, sz[0], sz[1], code, errs)
			}
			if s, _ := l[0][key].(float64); s <= 0 || s > 1 {
				t.Errorf("%s %dx%d: %s = %v", cmd, sz[0], sz[1], key, l[0][key])
			}
		}
	}
}

// TestUpstreamAliases: the vtracer program's flags set our parameters.
func TestUpstreamAliases(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o.svg")
	code, stdout, errs := svgai(t, "convert", "-i", icon, "--output", out, "--colormode", "bw", "--mode", "pixel",
		"--filter_speckle", "2", "--gradient_step", "30", "--segment_length", "5.5", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := `"params":{"colormode":"binary","hierarchical":"stacked","mode":"none","filter_speckle":2,"color_precision":6,"layer_difference":30,"corner_threshold":60,"length_threshold":5.5,`
	if !strings.Contains(stdout, want) {
		t.Errorf("params in %s\nwant %s", stdout, want)
	}
	code, stdout, _ = svgai(t, "convert", icon, "-o", out, "--preset", "photo", "--filter_speckle", "3", "--json")
	if code != 0 || !strings.Contains(stdout, `"filter_speckle":3,"color_precision":8,"layer_difference":48`) {
		t.Errorf("a flag after --preset overrides it: %s", stdout)
	}
	if code, _, errs := svgai(t, "convert", icon, "-o", out, "--mode", "curvy"); code != 2 || !strings.Contains(errs, `mode = "curvy" out of range`) {
		t.Errorf("bad alias value: exit %d, %s", code, errs)
	}
}

// TestViewBox: VTracer's bytes by default; --viewbox adds the attribute.
func TestViewBox(t *testing.T) {
	dir := t.TempDir()
	plain, boxed := filepath.Join(dir, "plain.svg"), filepath.Join(dir, "boxed.svg")
	if code, _, errs := svgai(t, "convert", icon, "-o", plain); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := svgai(t, "convert", icon, "-o", boxed, "--viewbox", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	a, b := readAll(t, mustOpen(t, plain)), readAll(t, mustOpen(t, boxed))
	if bytes.Contains(a, []byte("viewBox")) || !bytes.Contains(b, []byte(`<svg viewBox="0 0 64 64" `)) {
		t.Errorf("plain %.200s\nboxed %.200s", a, b)
	}
	if string(bytes.Replace(b, []byte(` viewBox="0 0 64 64"`), nil, 1)) != string(a) {
		t.Error("--viewbox changed more than the attribute")
	}
	if l := jsonLines(t, out); l[0]["svg_bytes"] != float64(len(b)) {
		t.Errorf("svg_bytes %v, file %d bytes", l[0]["svg_bytes"], len(b))
	}
}

// TestQuietByDefault: an optimization prints its result and nothing else;
// a missing model is one warning, which -q silences too.
func TestQuietByDefault(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o.svg")
	code, stdout, stderr := svgai(t, "optimize", icon, "-o", out, "--target-ssim", "0.8", "--config", hostConfig(t, "[features]\nprediction = false\n"))
	if code != 0 || stderr != "" || strings.Count(stdout, "\n") != 1 {
		t.Errorf("exit %d\nstdout %q\nstderr %q; want one line and a silent stderr", code, stdout, stderr)
	}
	cfg := hostConfig(t, "")
	_, _, stderr = svgai(t, "optimize", icon, "-o", out, "--target-ssim", "0.8", "--config", cfg)
	if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "[WARN]") || !strings.Contains(stderr, "no_model") {
		t.Errorf("no model: stderr %q, want one warning naming reason no_model", stderr)
	}
	if _, _, stderr = svgai(t, "optimize", icon, "-o", out, "--target-ssim", "0.8", "--config", cfg, "-q"); stderr != "" {
		t.Errorf("-q: stderr %q", stderr)
	}
	if _, _, stderr = svgai(t, "-v", "optimize", icon, "-o", out, "--target-ssim", "0.8", "--config", cfg); !strings.Contains(stderr, "[WARN]") {
		t.Errorf("-v: stderr %q", stderr)
	}
}
