package dataset

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/svgai/svgai/shared/vtracer"
)

// qualityJSON is Quality's wire form. JSON has no infinity, so a conversion
// that renders identical to its input has "psnr": null and "identical": true,
// as in `svgai convert --json`.
type qualityJSON struct {
	SSIM      float64  `json:"ssim"`
	MSE       float64  `json:"mse"`
	PSNR      *float64 `json:"psnr"`
	Identical bool     `json:"identical,omitempty"`
}

// MarshalJSON writes PSNR +Inf as null with "identical": true.
func (q Quality) MarshalJSON() ([]byte, error) {
	w := qualityJSON{SSIM: q.SSIM, MSE: q.MSE}
	if math.IsInf(q.PSNR, 1) {
		w.Identical = true
	} else {
		w.PSNR = &q.PSNR
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (q *Quality) UnmarshalJSON(data []byte) error {
	var w qualityJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*q = Quality{SSIM: w.SSIM, MSE: w.MSE, PSNR: math.Inf(1)}
	switch {
	case w.PSNR != nil:
		q.PSNR = *w.PSNR
	case !w.Identical:
		return fmt.Errorf("psnr is null but identical is not set")
	}
	return nil
}

// exportLine is one JSON line of `svgai-tools export`: the record with the
// image's hash and the parameters at top level, where analysis tools look.
type exportLine struct {
	ImageSHA256 string         `json:"image_sha256"`
	Params      vtracer.Params `json:"params"`
	Image       Image          `json:"image"`
	Output      Output         `json:"output"`
	Quality     Quality        `json:"quality"`
	Origin      string         `json:"origin"`
}

// Exporter writes records as JSON lines or CSV, a batch at a time, so
// that a dataset of any size streams through it.
type Exporter struct {
	enc *json.Encoder // JSON lines
	cw  *csv.Writer   // or CSV
	n   int           // records written
	row []string
}

// NewExporter writes to w in format "jsonl" (one JSON object per record)
// or "csv" (a header, then one flat row per record; PSNR +Inf is "inf").
func NewExporter(w io.Writer, format string) (*Exporter, error) {
	switch format {
	case "jsonl":
		return &Exporter{enc: json.NewEncoder(w)}, nil
	case "csv":
		e := &Exporter{cw: csv.NewWriter(w)}
		if err := e.cw.Write(CSVHeader()); err != nil {
			return nil, err
		}
		return e, nil
	}
	return nil, fmt.Errorf("dataset: export format %q: want jsonl or csv", format)
}

// Write writes recs.
func (e *Exporter) Write(recs []Record) error {
	for i := range recs {
		r := &recs[i]
		var err error
		if e.enc != nil {
			err = e.enc.Encode(exportLine{r.Image.SHA256, r.Params, r.Image, r.Output, r.Quality, r.Origin})
		} else {
			e.row = csvRow(e.row[:0], r)
			err = e.cw.Write(e.row)
		}
		if err != nil {
			return fmt.Errorf("dataset: export record %d: %w", e.n, err)
		}
		e.n++
	}
	return nil
}

// Flush writes out anything buffered and reports a write error.
func (e *Exporter) Flush() error {
	if e.cw != nil {
		e.cw.Flush()
		return e.cw.Error()
	}
	return nil
}

// Count returns the number of records written.
func (e *Exporter) Count() int { return e.n }

// CSVHeader is the first line of WriteCSV's output.
func CSVHeader() []string {
	h := []string{"image_sha256", "path", "source", "license", "category", "width", "height", "format",
		"alpha_coverage", "colors", "edge_density", "entropy"}
	h = append(h, vtracer.Names()...)
	return append(h, "svg_bytes", "paths", "ms", "tracer", "ssim", "mse", "psnr", "origin")
}

// csvRow appends the CSV fields of r to row.
func csvRow(row []string, r *Record) []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	im, p := r.Image, r.Params
	row = append(row, im.SHA256, im.Path, im.Source, im.License, im.Category, strconv.Itoa(im.Width), strconv.Itoa(im.Height), im.Format,
		f(im.AlphaCoverage), strconv.Itoa(im.Colors), f(im.EdgeDensity), f(im.Entropy),
		string(p.ColorMode), string(p.Hierarchical), string(p.Mode))
	for _, ir := range vtracer.IntRanges()[:4] {
		row = append(row, strconv.Itoa(ir.Get(&p)))
	}
	row = append(row, f(p.LengthThreshold))
	for _, ir := range vtracer.IntRanges()[4:] {
		row = append(row, strconv.Itoa(ir.Get(&p)))
	}
	return append(row, strconv.Itoa(r.Output.SVGBytes), strconv.Itoa(r.Output.Paths), f(r.Output.TraceMS), r.Output.Tracer,
		f(r.Quality.SSIM), f(r.Quality.MSE), f(r.Quality.PSNR), r.Origin)
}
