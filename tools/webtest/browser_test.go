package webtest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/svgai/svgai/shared/testbin"
	"github.com/svgai/svgai/tools/corpus"
)

var update = flag.Bool("update", false, "save the screenshots into docs/screenshots/")

// chromium is Debian's chromium, which make test's set-up installs
// (.ci/apt-packages); $SVGAI_CHROMIUM overrides it.
func chromium(t *testing.T) string {
	path := os.Getenv("SVGAI_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the browser tests need Chromium at %s (Debian package chromium): run `make setup` as root, or `apt-get install chromium`", path)
	}
	if _, err := os.Stat("testdata/node_modules/playwright-core/package.json"); err != nil {
		t.Fatal("the browser tests need npm playwright-core in tools/webtest/testdata/node_modules: run `make setup` (npm ci --prefix tools/webtest/testdata)")
	}
	return path
}

// outcome is what browser.mjs reports.
type outcome struct {
	FirstSVG []struct {
		Image      string  `json:"image"`
		MS         float64 `json:"ms"`
		FrontierMS float64 `json:"frontierMs"`
		ConvertMS  float64 `json:"convertMs"`
	} `json:"firstSVG"`
	Shots      []string        `json:"shots"`
	Download   string          `json:"download"`
	Image      string          `json:"image"`
	Command    string          `json:"command"`
	ParamsJSON json.RawMessage `json:"paramsJSON"`
	Zip        string          `json:"zip"`
	ZipSVGs    int             `json:"zipSVGs"`
	Problems   []string        `json:"problems"`
}

// TestPage runs the page in headless Chromium against real `svgai serve`s
// (tools/webtest/testdata/browser.mjs says what it checks), then checks
// what the page handed out: the command line it showed makes the SVG it
// showed, and its ZIP holds every SVG, each entry's CRC-32 right.
func TestPage(t *testing.T) {
	browser := chromium(t)
	start := time.Now()
	bin := t.TempDir()
	built := make(chan error, 1)
	go func() { built <- testbin.Build(bin, "svgai", "svgai-plugin-quality") }()
	model := trainModel(t)
	if err := <-built; err != nil {
		t.Fatal(err)
	}
	t.Logf("built the commands and trained the model in %v", time.Since(start).Round(time.Millisecond))

	work := t.TempDir()
	cfg := map[string]any{
		"chromium":    browser,
		"url":         serve(t, bin, work, "--model", model),
		"urlNoPlugin": serve(t, bin, work, "--config", writeFile(t, work, "off.toml", []byte("[features]\nprediction = false\n"))),
		"logos":       logos(t, work, 3),
		"icons":       []string{abs(t, icons, "tabler-home.png"), abs(t, icons, "twemoji-1f600.png")},
		"notImage":    writeFile(t, work, "notes.png", []byte("these are notes, not a picture\n")),
		"truncated":   truncated(t, work),
		"shots":       t.TempDir(),
		"out":         t.TempDir(),
	}
	if *update {
		cfg["shots"], _ = filepath.Abs(filepath.Join("..", "..", "docs", "screenshots"))
	}
	data, _ := json.Marshal(cfg)
	config := writeFile(t, work, "config.json", data)

	start = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "browser.mjs", config)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) } // playwright then closes the browser
	cmd.WaitDelay = 10 * time.Second
	cmd.Dir = "testdata"
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	elapsed := time.Since(start)
	var o outcome
	if jerr := json.Unmarshal(out, &o); jerr != nil {
		t.Fatalf("node browser.mjs: %v, output %q\n%s", err, out, stderr.String())
	}
	for _, p := range o.Problems {
		t.Error(p)
	}
	if err != nil || t.Failed() {
		t.Fatalf("node browser.mjs: %v\n%s", err, stderr.String())
	}
	t.Logf("FIGURE | browser session (two pages, %d screenshots) | %v", len(o.Shots), elapsed.Round(time.Millisecond))
	for _, f := range o.FirstSVG {
		t.Logf("FIGURE | drop to first SVG on screen, %s (256 px) | %.0f ms (POST /v1/frontier %.0f ms, POST /v1/convert %.0f ms)",
			f.Image, f.MS, f.FrontierMS, f.ConvertMS)
	}

	checkCommand(t, bin, work, o)
	checkZip(t, o)
}

// checkCommand runs the `svgai convert` command line the page showed, in
// a folder holding the image, and compares its SVG with the one the page
// gave for download.
func checkCommand(t *testing.T, bin, work string, o outcome) {
	t.Helper()
	if !strings.HasPrefix(o.Command, "svgai convert "+o.Image+" -o ") {
		t.Fatalf("command line %q", o.Command)
	}
	cmd := exec.Command("sh", "-c", o.Command)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", o.Command, err, out)
	}
	got, err := os.ReadFile(filepath.Join(work, strings.TrimSuffix(o.Image, ".png")+".svg"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(o.Download)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s made %d bytes of SVG; the page's download has %d", o.Command, len(got), len(want))
	}
}

// checkZip opens the page's ZIP with archive/zip, which checks each
// entry's CRC-32 as it reads it.
func checkZip(t *testing.T, o outcome) {
	t.Helper()
	zr, err := zip.OpenReader(o.Zip)
	if err != nil {
		t.Fatalf("the page's ZIP: %v", err)
	}
	defer zr.Close()
	if len(zr.File) != o.ZipSVGs {
		t.Errorf("the ZIP has %d entries, want %d", len(zr.File), o.ZipSVGs)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc) // fails on a CRC-32 mismatch
		rc.Close()
		if err != nil || f.Method != zip.Store || !bytes.HasPrefix(data, []byte("<?xml")) && !bytes.HasPrefix(data, []byte("<svg")) {
			t.Errorf("ZIP entry %s (method %d): %v, %.40q", f.Name, f.Method, err, data)
		}
	}
}

// logos writes n synthetic 256 px logos (tools/corpus, category simple)
// into dir and returns their paths.
func logos(t *testing.T, dir string, n int) []string {
	t.Helper()
	var paths []string
	for i := range n {
		img, err := corpus.Draw(corpus.Simple, uint64(11+i), 256, 256)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, writeFile(t, dir, fmt.Sprintf("logo-%d.png", i+1), buf.Bytes()))
	}
	return paths
}

// truncated writes the first half of a real icon as broken.png.
func truncated(t *testing.T, dir string) string {
	data, err := os.ReadFile(filepath.Join(icons, "flag-br.png"))
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, "broken.png", data[:len(data)/2])
}

// abs is the absolute path of dir/name (browser.mjs runs in testdata/).
func abs(t *testing.T, dir, name string) string {
	path, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// serve starts `svgai serve` from bin on a free loopback port with args,
// in dir (so no ./plugin.toml of the repository is read), and stops it
// when the test ends. It returns the page's URL.
func serve(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, "svgai"), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+t.TempDir(), "SVGAI_MODEL=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t.Cleanup(func() { // runs after testbin.Serve's, which stops the server
		if t.Failed() {
			t.Logf("svgai serve %s: standard error:\n%s", strings.Join(args, " "), stderr.String())
		}
	})
	return testbin.Serve(t, cmd) + "/"
}
