package train

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// plotLearningCurves draws training and validation loss per epoch, on a
// log axis with labelled 1-2-5 ticks when the losses span decades, and the
// legend in a margin of its own, off the curves.
func plotLearningCurves(path string, hist []EpochLog) error {
	p := plot.New()
	p.Title.Text = "Learning curves"
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = "loss"
	train := make(plotter.XYs, len(hist))
	val := make(plotter.XYs, len(hist))
	positive, hasVal := true, false
	for i, h := range hist {
		train[i] = plotter.XY{X: float64(h.Epoch), Y: h.TrainLoss}
		val[i] = plotter.XY{X: float64(h.Epoch), Y: h.ValLoss}
		positive = positive && h.TrainLoss > 0 && h.ValLoss > 0
		hasVal = hasVal || h.ValLoss != 0
	}
	type series struct {
		name string
		xy   plotter.XYs
		c    color.RGBA
	}
	lines := []series{{"train", train, color.RGBA{B: 200, A: 255}}}
	if hasVal {
		lines = append(lines, series{"validation", val, color.RGBA{R: 200, A: 255}})
	}
	if positive { // losses span decades: a log axis shows the tail
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	legend := plot.NewLegend()
	legend.Top, legend.Left = true, true
	p.Add(plotter.NewGrid())
	for _, s := range lines {
		l, err := plotter.NewLine(s.xy)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		l.Color, l.Width = s.c, vg.Points(1.2)
		p.Add(l)
		legend.Add(s.name, l)
	}
	const w, h, margin = 6 * vg.Inch, 4 * vg.Inch, 1.1 * vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	p.Draw(draw.Crop(dc, 0, -margin, 0, 0))
	top := p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding
	legend.Draw(draw.Crop(dc, w-margin+vg.Points(6), 0, 0, -top))
	return savePNG(path, img)
}

// logTicks marks 1, 2 and 5 × 10^k with labels and the other whole
// multiples without, so that a log axis within one decade still reads.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	labelled := 0
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow(10, e)
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = strconv.FormatFloat(v, 'g', 3, 64)
				labelled++
			}
			ticks = append(ticks, t)
		}
	}
	if labelled < 2 { // a narrow range: label every tick, or fall back
		for i := range ticks {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'g', 3, 64)
		}
		if len(ticks) < 2 {
			return plot.DefaultTicks{}.Ticks(lo, hi)
		}
	}
	return ticks
}

// plotPredVsActual scatters predicted against measured SSIM with the
// identity line.
func plotPredVsActual(path string, pred, actual []float32) error {
	p := plot.New()
	p.Title.Text = "Predicted vs actual SSIM (validation)"
	p.X.Label.Text = "actual SSIM"
	p.Y.Label.Text = "predicted SSIM"
	pts := make(plotter.XYs, len(pred))
	lo, hi := 1.0, 0.0
	for i := range pred {
		pts[i] = plotter.XY{X: float64(actual[i]), Y: float64(pred[i])}
		lo = min(lo, pts[i].X, pts[i].Y)
		hi = max(hi, pts[i].X, pts[i].Y)
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	sc.GlyphStyle.Radius = vg.Points(1.2)
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	sc.GlyphStyle.Color = color.NRGBA{B: 160, A: 110}
	id, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	id.Color = color.RGBA{R: 200, A: 255}
	p.Add(plotter.NewGrid(), sc, id)
	if err := p.Save(5*vg.Inch, 5*vg.Inch, path); err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return nil
}

// savePNG writes a drawn canvas to path.
func savePNG(path string, img *vgimg.Canvas) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return f.Close()
}
