package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/shared/vtracer"
)

// iconDir holds real icons from npm packages (see its README).
const iconDir = "../../testdata/icons"

// testSampling is small enough for a test: two presets and six random sets.
func testSampling() Sampling {
	return Sampling{Presets: []string{"default", "poster"}, PerImage: 6, Seed: 3}
}

func TestParamSets(t *testing.T) {
	s := DefaultSampling()
	sha := strings.Repeat("ab", 32)
	a, err := s.ParamSets(sha)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 24 {
		t.Errorf("%d sets, want 24 (8 presets + 16 sampled)", len(a))
	}
	if a[0] != vtracer.Default() {
		t.Errorf("first set %+v, want VTracer's defaults", a[0])
	}
	b, _ := s.ParamSets(sha)
	c, _ := s.ParamSets(strings.Repeat("cd", 32))
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("same image got different sets")
	}
	if fmt.Sprint(a[8:]) == fmt.Sprint(c[8:]) {
		t.Error("different images got the same sampled sets")
	}
	if _, err := (Sampling{Presets: []string{"nope"}}).ParamSets(sha); err == nil {
		t.Error("unknown preset accepted")
	}
}

func TestSources(t *testing.T) {
	srcs, err := Sources(iconDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 9 || srcs[0].Rel != "flag-br.png" || srcs[0].Category != "unknown" {
		t.Errorf("Sources = %d images, first %+v", len(srcs), srcs[0])
	}
	if _, err := Sources(t.TempDir()); err == nil {
		t.Error("empty directory accepted")
	}
}

// childEnv makes the test binary run one collection instead of the tests;
// the crash test kills such a child.
const childEnv = "SVGAI_COLLECT_CHILD"

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		os.Exit(runChild(strings.Split(args, "|")))
	}
	os.Exit(m.Run())
}

// runChild collects images from dir into the dataset at path with the test
// sampling and prints the stats as JSON.
func runChild(args []string) int {
	dir, path := args[0], args[1]
	ctx := context.Background()
	st, err := collectOnce(ctx, dir, path, 1)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	json.NewEncoder(os.Stdout).Encode(st)
	return 0
}

func collectOnce(ctx context.Context, dir, path string, workers int) (Stats, error) {
	w, err := tracer.NewWasm(ctx, tracer.WasmOptions{})
	if err != nil {
		return Stats{}, err
	}
	defer w.Close()
	store, err := dataset.Open(ctx, path)
	if err != nil {
		return Stats{}, err
	}
	defer store.Close()
	srcs, err := Sources(dir)
	if err != nil {
		return Stats{}, err
	}
	c := &Collector{Converter: &convert.Converter{Tracer: w}, Store: store, Sampling: testSampling(),
		Workers: workers, FlushEvery: 50 * time.Millisecond, Log: hclog.NewNullLogger()}
	return c.Run(ctx, srcs)
}

// testImages copies a few real icons into a fresh corpus directory.
func testImages(t *testing.T, names ...string) string {
	dir := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(iconDir, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCollectStoresEachRecordOnce(t *testing.T) {
	ctx := context.Background()
	dir := testImages(t, "twemoji-1f600.png", "flag-jp.png")
	path := filepath.Join(t.TempDir(), "ds.h5")
	st, err := collectOnce(ctx, dir, path, 2)
	if err != nil {
		t.Fatal(err)
	}
	if st.Images != 2 || st.Added+st.Quarantined != 16 || st.Skipped != 0 {
		t.Fatalf("first run: %+v, want 2 images and 16 conversions", st)
	}
	st, err = collectOnce(ctx, dir, path, 2)
	if err != nil {
		t.Fatal(err)
	}
	if st.Converted != 0 || st.Skipped != 16-st.Quarantined {
		t.Fatalf("rerun: %+v, want nothing converted", st)
	}
	recs := readAll(t, path)
	if len(recs) != 16 {
		t.Fatalf("%d records, want 16", len(recs))
	}
	for i := range recs {
		if err := dataset.Validate(&recs[i]); err != nil {
			t.Errorf("stored record %d invalid: %v", i, err)
		}
		if recs[i].Quality.SSIM < 0.3 {
			t.Errorf("record %d: SSIM %g is implausibly low for a real icon", i, recs[i].Quality.SSIM)
		}
	}
}

// TestCollectSurvivesKill kills a real collector process while it writes,
// reruns it, and checks that every record is stored exactly once.
func TestCollectSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two collector processes")
	}
	dir := testImages(t, "twemoji-1f600.png", "twemoji-1f680.png", "flag-gb.png", "tabler-home.png")
	path := filepath.Join(t.TempDir(), "ds.h5")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir+"|"+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if n := storedNow(path); n >= 4 && n < 32 {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the collector never got part-way: nothing to kill")
	}
	before := storedNow(path)
	rerun := exec.Command(os.Args[0], "-test.run=^$")
	rerun.Env = append(os.Environ(), childEnv+"="+dir+"|"+path)
	out, err := rerun.Output()
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	var st Stats
	if err := json.Unmarshal(out, &st); err != nil {
		t.Fatalf("rerun printed %q: %v", out, err)
	}
	if st.Skipped < before {
		t.Errorf("rerun skipped %d, but %d were stored before", st.Skipped, before)
	}
	recs := readAll(t, path)
	seen := map[dataset.Key]bool{}
	for i := range recs {
		k := recs[i].Key()
		if seen[k] {
			t.Fatalf("record %v stored twice", k)
		}
		seen[k] = true
	}
	if len(recs)+st.Quarantined != 32 {
		t.Errorf("%d records (+%d quarantined), want 32", len(recs), st.Quarantined)
	}
	t.Logf("killed with %d records stored; rerun skipped %d, converted %d", before, st.Skipped, st.Converted)
}

// storedNow is how many records a reader sees, or 0 if it cannot open yet.
func storedNow(path string) int {
	s, err := dataset.OpenReadOnly(context.Background(), path)
	if err != nil {
		return 0
	}
	defer s.Close()
	return s.Len()
}

func readAll(t *testing.T, path string) []dataset.Record {
	t.Helper()
	recs, err := dataset.ReadAll(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
