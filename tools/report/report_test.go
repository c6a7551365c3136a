package report

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/shared/vtracer"
)

func records() []dataset.Record {
	var recs []dataset.Record
	for i, cat := range []string{"simple", "simple", "text", "gradient"} {
		for j, p := range vtracer.LatinHypercube(12, uint64(i)) {
			recs = append(recs, dataset.Record{
				Image:   dataset.Image{SHA256: fmt.Sprint("img", i), Category: cat},
				Params:  p,
				Quality: dataset.Quality{SSIM: 0.5 + 0.04*float64(j)},
			})
		}
	}
	return recs
}

func TestSummarize(t *testing.T) {
	s := Summarize(records())
	if s.Overall.Count != 48 || s.Overall.Images != 4 {
		t.Fatalf("overall %+v", s.Overall)
	}
	if len(s.ByCategory) != 3 || s.ByCategory[1].Name != "simple" || s.ByCategory[1].Images != 2 || s.ByCategory[1].Count != 24 {
		t.Errorf("categories %+v", s.ByCategory)
	}
	if got, want := s.Overall.Min, 0.5; got != want {
		t.Errorf("min %g, want %g", got, want)
	}
	if got, want := s.Overall.Mean, 0.5+0.04*5.5; got-want > 1e-12 || want-got > 1e-12 {
		t.Errorf("mean %g, want %g", got, want)
	}
	if len(s.ByParam) != 11 {
		t.Fatalf("%d parameters, want 11", len(s.ByParam))
	}
	for _, ps := range s.ByParam {
		n := 0
		for _, b := range ps.Bins {
			n += b.Count
		}
		if n != 48 {
			t.Errorf("%s: bins hold %d records, want 48", ps.Name, n)
		}
		if len(ps.Bins) > paramBins && ps.Name != "filter_speckle" {
			t.Errorf("%s: %d bins", ps.Name, len(ps.Bins))
		}
	}
	var buf bytes.Buffer
	if err := s.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SSIM by image category", "SSIM by layer_difference", "gradient", "0–42"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestWritePNG(t *testing.T) {
	recs := records()
	path := filepath.Join(t.TempDir(), "summary.png")
	if err := WritePNG(path, Summarize(recs), recs); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width < 600 {
		t.Errorf("PNG %+v, %v", cfg, err)
	}
}

func TestWritePresetTable(t *testing.T) {
	bw, _ := vtracer.Preset("bw")
	recs := []dataset.Record{
		{Image: dataset.Image{Source: "synthetic"}, Params: vtracer.Default(), Quality: dataset.Quality{SSIM: 0.9}, Output: dataset.Output{SVGBytes: 2048, TraceMS: 10}},
		{Image: dataset.Image{Source: "synthetic"}, Params: vtracer.Default(), Quality: dataset.Quality{SSIM: 0.8}, Output: dataset.Output{SVGBytes: 1024, TraceMS: 20}},
		{Image: dataset.Image{Source: "npm:@tabler/icons-png@3.48.0"}, Params: bw, Quality: dataset.Quality{SSIM: 0.7}, Output: dataset.Output{SVGBytes: 512, TraceMS: 5}},
		{Image: dataset.Image{Source: "synthetic"}, Params: vtracer.LatinHypercube(1, 9)[0], Quality: dataset.Quality{SSIM: 0.1}},
	}
	var buf bytes.Buffer
	if err := WritePresetTable(&buf, recs); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"| preset | @tabler/icons-png | synthetic |", "| default | – | 0.850 / 1.5 KB / 15.0 ms |", "| bw | 0.700 / 0.5 KB / 5.0 ms | – |"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
