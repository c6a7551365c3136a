package report

import (
	"fmt"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/svgai/svgai/model/dataset"
)

// WritePNG draws the summary as a grid of panels: SSIM per category as box
// plots, then mean SSIM per value bin of each parameter, and writes it to
// path as a PNG.
func WritePNG(path string, s Summary, recs []dataset.Record) error {
	const cols = 3
	panels := []*plot.Plot{categoryPanel(s, recs)}
	for _, ps := range s.ByParam {
		panels = append(panels, paramPanel(ps))
	}
	rows := (len(panels) + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for c := range grid[r] {
			if i := r*cols + c; i < len(panels) {
				grid[r][c] = panels[i]
			}
		}
	}
	img := vgimg.New(vg.Points(float64(cols)*300), vg.Points(float64(rows)*220))
	dc := draw.New(img)
	t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6)}
	canvases := plot.Align(grid, t, dc)
	for r := range grid {
		for c := range grid[r] {
			if grid[r][c] != nil {
				grid[r][c].Draw(canvases[r][c])
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	return f.Close()
}

func categoryPanel(s Summary, recs []dataset.Record) *plot.Plot {
	p := plot.New()
	p.Title.Text = "SSIM by image category"
	p.Y.Label.Text = "SSIM"
	names := make([]string, len(s.ByCategory))
	for i, st := range s.ByCategory {
		names[i] = fmt.Sprintf("%s (%d)", st.Name, st.Images)
		var v plotter.Values
		for j := range recs {
			if recs[j].Image.Category == st.Name {
				v = append(v, recs[j].Quality.SSIM)
			}
		}
		if b, err := plotter.NewBoxPlot(vg.Points(20), float64(i), v); err == nil {
			p.Add(b)
		}
	}
	p.NominalX(names...)
	return p
}

func paramPanel(ps ParamStats) *plot.Plot {
	p := plot.New()
	p.Title.Text = "mean SSIM by " + ps.Name
	p.Y.Label.Text = "SSIM"
	labels := make([]string, len(ps.Bins))
	mean := make(plotter.Values, len(ps.Bins))
	for i, st := range ps.Bins {
		labels[i], mean[i] = st.Name, st.Mean
	}
	if bars, err := plotter.NewBarChart(mean, vg.Points(18)); err == nil {
		p.Add(bars)
	}
	p.NominalX(labels...)
	p.Y.Min, p.Y.Max = 0, 1
	return p
}
