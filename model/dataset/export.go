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

// WriteJSONL writes one JSON object per record.
func WriteJSONL(w io.Writer, recs []Record) error {
	enc := json.NewEncoder(w)
	for i := range recs {
		r := &recs[i]
		if err := enc.Encode(exportLine{r.Image.SHA256, r.Params, r.Image, r.Output, r.Quality, r.Origin}); err != nil {
			return fmt.Errorf("dataset: export record %d: %w", i, err)
		}
	}
	return nil
}

// CSVHeader is the first line of WriteCSV's output.
func CSVHeader() []string {
	h := []string{"image_sha256", "path", "source", "license", "category", "width", "height", "format",
		"alpha_coverage", "colors", "edge_density", "entropy"}
	h = append(h, vtracer.Names()...)
	return append(h, "svg_bytes", "paths", "ms", "tracer", "ssim", "mse", "psnr", "origin")
}

// WriteCSV writes a header and one flat row per record; PSNR +Inf is
// written as "inf".
func WriteCSV(w io.Writer, recs []Record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader()); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for i := range recs {
		r := &recs[i]
		im, p := r.Image, r.Params
		row := []string{im.SHA256, im.Path, im.Source, im.License, im.Category, strconv.Itoa(im.Width), strconv.Itoa(im.Height), im.Format,
			f(im.AlphaCoverage), strconv.Itoa(im.Colors), f(im.EdgeDensity), f(im.Entropy),
			string(p.ColorMode), string(p.Hierarchical), string(p.Mode)}
		for _, ir := range vtracer.IntRanges()[:4] {
			row = append(row, strconv.Itoa(ir.Get(&p)))
		}
		row = append(row, f(p.LengthThreshold))
		for _, ir := range vtracer.IntRanges()[4:] {
			row = append(row, strconv.Itoa(ir.Get(&p)))
		}
		row = append(row, strconv.Itoa(r.Output.SVGBytes), strconv.Itoa(r.Output.Paths), f(r.Output.TraceMS), r.Output.Tracer,
			f(r.Quality.SSIM), f(r.Quality.MSE), f(r.Quality.PSNR), r.Origin)
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("dataset: export record %d: %w", i, err)
		}
	}
	cw.Flush()
	return cw.Error()
}
