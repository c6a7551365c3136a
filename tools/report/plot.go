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

// WritePNG draws the summary as a grid of panels, each a box plot of SSIM
// (median, quartiles, whiskers to 1.5 IQR, outliers as dots): per image
// category, then per value (or value bin) of each parameter, with the
// number of conversions under each box. It writes the PNG to path.
func WritePNG(path string, s Summary, recs []dataset.Record) error {
	const cols = 3
	panels := []*plot.Plot{categoryPanel(s, recs)}
	for _, ps := range s.ByParam {
		panels = append(panels, paramPanel(ps, recs))
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
	img := vgimg.New(vg.Points(float64(cols)*340), vg.Points(float64(rows)*240))
	dc := draw.New(img)
	t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 6, PadY: vg.Millimeter * 5,
		PadTop: vg.Points(8), PadBottom: vg.Points(8), PadLeft: vg.Points(8), PadRight: vg.Points(8)}
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

// boxPanel is a panel of SSIM box plots, one per group, each labelled with
// its name over its count on two lines so that neighbours never collide.
func boxPanel(title string, names []string, groups []plotter.Values) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = "SSIM"
	p.Y.Min, p.Y.Max = 0, 1
	for _, v := range groups {
		for _, x := range v {
			p.Y.Min = min(p.Y.Min, x) // SSIM can dip below 0
		}
	}
	labels := make([]string, len(names))
	width := vg.Points(min(22, 150/float64(max(len(names), 1))))
	for i, v := range groups {
		labels[i] = fmt.Sprintf("%s\n%d", names[i], len(v))
		if len(v) == 0 {
			continue
		}
		if b, err := plotter.NewBoxPlot(width, float64(i), v); err == nil {
			b.GlyphStyle.Radius = vg.Points(1.5)
			p.Add(b)
		}
	}
	p.NominalX(labels...)
	p.X.Tick.Label.Font.Size = vg.Points(9)
	p.Add(plotter.NewGrid())
	return p
}

func categoryPanel(s Summary, recs []dataset.Record) *plot.Plot {
	names := make([]string, len(s.ByCategory))
	groups := make([]plotter.Values, len(s.ByCategory))
	for i, st := range s.ByCategory {
		names[i] = st.Name
		for j := range recs {
			if recs[j].Image.Category == st.Name {
				groups[i] = append(groups[i], recs[j].Quality.SSIM)
			}
		}
	}
	return boxPanel("SSIM by image category (conversions)", names, groups)
}

func paramPanel(ps ParamStats, recs []dataset.Record) *plot.Plot {
	names := make([]string, len(ps.Bins))
	index := map[string]int{}
	for i, st := range ps.Bins {
		names[i], index[st.Name] = st.Name, i
	}
	groups := make([]plotter.Values, len(ps.Bins))
	for j := range recs {
		if i, ok := index[binOf(&recs[j].Params, ps.Name)]; ok {
			groups[i] = append(groups[i], recs[j].Quality.SSIM)
		}
	}
	return boxPanel("SSIM by "+ps.Name, names, groups)
}
