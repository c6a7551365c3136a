package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/shared/vtracer"
)

func TestIngestRoundTrip(t *testing.T) {
	ctx := context.Background()
	w, err := tracer.NewWasm(ctx, tracer.WasmOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	conv := &convert.Converter{Tracer: w}
	dir := testImages(t, "flag-jp.png", "twemoji-2764-fe0f.png")

	// Lines as `svgai convert --json` prints them, with a path relative to dir.
	var lines bytes.Buffer
	enc := json.NewEncoder(&lines)
	var want []convert.Report
	for _, name := range []string{"flag-jp.png", "twemoji-2764-fe0f.png"} {
		in, err := convert.LoadFile(filepath.Join(dir, name), 0)
		if err != nil {
			t.Fatal(err)
		}
		in.Path = name
		for _, preset := range []string{"poster", "bw"} {
			p, _ := vtracer.Preset(preset)
			res, err := conv.Convert(ctx, in.Image, p)
			if err != nil {
				t.Fatal(err)
			}
			rep := convert.NewReport(in, res)
			want = append(want, rep)
			enc.Encode(rep)
		}
	}
	enc.Encode(want[0]) // a duplicate
	metricsOnly := want[1]
	metricsOnly.Params = nil
	enc.Encode(metricsOnly)
	bad := want[2]
	bad.SSIM = 1.5
	p := vtracer.Default()
	bad.Params = &p
	enc.Encode(bad)
	moved := want[3]
	moved.Input = "gone.png"
	moved.Params = &vtracer.Params{}
	*moved.Params = vtracer.Default()
	moved.Params.PathPrecision = 5
	enc.Encode(moved)

	store, err := dataset.Open(ctx, filepath.Join(t.TempDir(), "ds.h5"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	st, err := Ingest(ctx, &lines, dir, store, 0, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	if st != (IngestStats{Lines: 8, Added: 4, Duplicates: 1, NoParams: 1, Quarantined: 2}) {
		t.Errorf("stats %+v", st)
	}
	recs, err := store.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		w := want[i]
		if r.Image.SHA256 != w.ImageSHA256 || r.Params != *w.Params || r.Quality.SSIM != w.SSIM || r.Output.SVGBytes != w.SVGBytes || r.Origin != "ingest" {
			t.Errorf("record %d = %+v, from report %+v", i, r, w)
		}
		if r.Image.Colors == 0 {
			t.Errorf("record %d: image metadata not filled", i)
		}
	}
	q, _ := store.Quarantined(ctx)
	if len(q) != 2 {
		t.Errorf("quarantine %v, want 2 entries", q)
	}
}

// TestIngestConfinesAndNeverShadows is issue 14's ingest case: a bad line
// sharing its key with a valid record must not hide it; inputs outside the
// base directory (absolute, ../, or through a symbolic link) are refused
// unread; no file's content reaches a stored message.
func TestIngestConfinesAndNeverShadows(t *testing.T) {
	ctx := context.Background()
	base := testImages(t, "flag-jp.png")
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.png")
	if err := os.WriteFile(secret, []byte("SECRET-FIRST-LINE\nroot:x:0:0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "notes.png"), []byte("SECRET-NOTES inside the base\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(base, "link.png")); err != nil {
		t.Fatal(err)
	}
	in, err := convert.LoadFile(filepath.Join(base, "flag-jp.png"), 0)
	if err != nil {
		t.Fatal(err)
	}
	p := vtracer.Default()
	psnr := 10 * math.Log10(255*255/20.0)
	good := convert.Report{Input: "flag-jp.png", ImageSHA256: in.SHA256, Width: in.Info.Width, Height: in.Info.Height, Format: "png",
		Params: &p, SSIM: 0.9, MSE: 20, PSNR: &psnr, SVGBytes: 900, Paths: 4, MS: 3, Tracer: "test"}
	bad := good
	bad.SSIM = 1.5 // same image and parameters: the same record key
	lines := []convert.Report{good, bad}
	for _, input := range []string{"../" + filepath.Base(outside) + "/secret.png", secret, "link.png", "notes.png", "/etc/passwd"} {
		r := good
		r.Input = input
		lines = append(lines, r)
	}
	var buf bytes.Buffer
	for _, l := range lines {
		json.NewEncoder(&buf).Encode(l)
	}
	store, err := dataset.Open(ctx, filepath.Join(t.TempDir(), "ds.h5"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	st, err := Ingest(ctx, &buf, base, store, 0, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	if st != (IngestStats{Lines: 7, Added: 1, Quarantined: 6, OutsideBase: 4}) {
		t.Errorf("stats %+v, want 1 added, 6 quarantined of which 4 outside the base", st)
	}
	recs, err := store.Records(ctx)
	if err != nil || len(recs) != 1 || recs[0].Quality.SSIM != 0.9 {
		t.Fatalf("records %+v, %v: the valid record must survive the bad line with its key", recs, err)
	}
	q, err := store.Quarantined(ctx)
	if err != nil || len(q) != 6 {
		t.Fatalf("quarantine %d entries, %v; want 6", len(q), err)
	}
	for key, reason := range q {
		for _, leak := range []string{"SECRET", "root:"} {
			if strings.Contains(reason, leak) || strings.Contains(key, leak) {
				t.Errorf("quarantine entry %s: reason %q shows file content", key, reason)
			}
		}
		t.Logf("%s: %s", key[len(key)-24:], reason)
	}
	// The same file again: every line is already there, once.
	buf.Reset()
	for _, l := range lines {
		json.NewEncoder(&buf).Encode(l)
	}
	if st, err = Ingest(ctx, &buf, base, store, 0, hclog.NewNullLogger()); err != nil || st.Duplicates != 1 {
		t.Fatalf("second ingest %+v, %v", st, err)
	}
	if q, _ := store.Quarantined(ctx); len(q) != 6 {
		t.Errorf("quarantine grew to %d entries on a second ingest of the same lines", len(q))
	}
}
