package train

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// plotLearningCurves draws training and validation loss per epoch.
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
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	for _, s := range lines {
		l, err := plotter.NewLine(s.xy)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		l.Color = s.c
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	p.Add(plotter.NewGrid())
	if err := p.Save(6*vg.Inch, 4*vg.Inch, path); err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return nil
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
