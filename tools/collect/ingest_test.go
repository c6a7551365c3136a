package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
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
