package fit

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/train"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// uncertaintyFloor is the least uncertainty reported: below it, SSIM
// differences are within what rendering and metric noise move (the SVG
// renderers agree to 5e-5, README "Scoring any SVG").
const uncertaintyFloor = 0.0005

// tailDFs are the degrees of freedom calibrate chooses from; 0 is normal.
var tailDFs = []float64{1, 1.5, 2, 2.5, 3, 4, 5, 7, 10, 20, 0}

// coverageLevels are the central intervals whose coverage calibrate
// matches: a distribution right at 68.3% but wrong at 95% (the normal one
// on heavy-tailed errors) states wrong probabilities for high confidence.
var coverageLevels = []float64{0.5, 0.683, 0.8, 0.9, 0.954}

// calibrate fits the model's error distribution to its errors on the rows
// d (held-out images, whose path modes are modes), predicted as they will
// be served: for each degrees of freedom, a scale per mode putting 68.3% of
// that mode's errors inside the central 68.3% interval; then the degrees
// of freedom whose intervals at coverageLevels hold the shares they state,
// overall. It also fits the error correlation between an image's
// predictions.
func calibrate(m *predictor.Model, d train.Dataset, modes []vtracer.CurveMode) error {
	m.Meta.Uncertainty = predictor.Calibration{}
	preds, err := m.PredictRows(d.X, modes) // unit scale, no floor: the raw spread
	if err != nil {
		return err
	}
	var rows []residual
	for i, p := range preds {
		rows = append(rows, residual{float64(d.Y[i]) - p.SSIM, max(p.Uncertainty, 1e-4), modes[i], d.Group[i]})
	}
	if len(rows) == 0 {
		return fmt.Errorf("fit: no validation rows to calibrate the uncertainty on")
	}
	best, bestErr := predictor.Calibration{}, math.Inf(1)
	for _, df := range tailDFs {
		c := predictor.Calibration{TailDF: df, Floor: uncertaintyFloor, Scale: map[vtracer.CurveMode]float64{}}
		for _, mode := range []vtracer.CurveMode{vtracer.Spline, vtracer.Polygon, vtracer.None} {
			c.Scale[mode] = fitScale(c, rows, mode)
		}
		var e float64
		for _, level := range coverageLevels {
			d := within(c, rows, level, "") - level
			e += d * d
		}
		if e < bestErr {
			best, bestErr = c, e
		}
	}
	best.Coverage = map[string][2]float64{}
	for _, mode := range []string{"", string(vtracer.Spline), string(vtracer.Polygon), string(vtracer.None)} {
		key := mode
		if key == "" {
			key = "all"
		}
		best.Coverage[key] = [2]float64{within(best, rows, 0.683, mode), within(best, rows, 0.954, mode)}
	}
	best.ErrorCorrelation = errorCorrelation(best, rows)
	m.Meta.Uncertainty = best
	return nil
}

// fitScale finds, by bisection on a log scale, the scale for mode that
// puts 68.3% of the mode's errors inside the central 68.3% interval, the
// floor included (it widens the smallest intervals); 1 when the mode has
// no rows.
func fitScale(c predictor.Calibration, rows []residual, mode vtracer.CurveMode) float64 {
	lo, hi := math.Log(1e-3), math.Log(1e3)
	c.Scale = map[vtracer.CurveMode]float64{mode: 1}
	if math.IsNaN(within(c, rows, 0.683, string(mode))) {
		return 1
	}
	for range 60 {
		mid := (lo + hi) / 2
		c.Scale[mode] = math.Exp(mid)
		if within(c, rows, 0.683, string(mode)) < 0.683 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return math.Exp(hi)
}

// residual is one error with its ensemble spread.
type residual struct {
	err, spread float64
	mode        vtracer.CurveMode
	group       string
}

// halfWidth is the half width, in scale units, of the central interval
// holding level of a Student-t distribution with df degrees of freedom
// (normal when df is 0).
func halfWidth(df, level float64) float64 {
	q := 0.5 + level/2
	if df > 0 {
		return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(q)
	}
	return distuv.UnitNormal.Quantile(q)
}

// within is the share of rows (of one mode, or all when mode is "") whose
// error lies inside the central interval holding level under c.
func within(c predictor.Calibration, rows []residual, level float64, mode string) float64 {
	hw := halfWidth(c.TailDF, level)
	var n, hit int
	for _, r := range rows {
		if mode != "" && string(r.mode) != mode {
			continue
		}
		n++
		p := c.Apply(predict.Prediction{}, r.spread, r.mode)
		if math.Abs(r.err) <= hw*p.Uncertainty {
			hit++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(hit) / float64(n)
}

// errorCorrelation estimates the correlation between two standardised
// errors of one image: the mean product over pairs of an image's rows,
// over the mean square (errors clipped at ±4 scale units, so that a few
// wild rows do not decide it).
func errorCorrelation(c predictor.Calibration, rows []residual) float64 {
	by := map[string][]float64{}
	var sq float64
	for _, r := range rows {
		z := r.err / c.Apply(predict.Prediction{}, r.spread, r.mode).Uncertainty
		z = max(min(z, 4), -4)
		by[r.group] = append(by[r.group], z)
		sq += z * z
	}
	var pairs, prod float64
	for _, zs := range by {
		var s, s2 float64
		for _, z := range zs {
			s += z
			s2 += z * z
		}
		prod += (s*s - s2) / 2 // Σ_{i<j} z_i z_j
		pairs += float64(len(zs)*(len(zs)-1)) / 2
	}
	if pairs == 0 || sq == 0 {
		return 0
	}
	return max(min(prod/pairs/(sq/float64(len(rows))), 0.95), 0)
}

// Coverage is the share of rows whose real SSIM y lies inside the central
// 68.3% and 95.4% intervals of its prediction (the ±1σ and ±2σ of a normal
// distribution), overall ("all") and per path mode: how true the stated
// probabilities are on those rows.
func Coverage(preds []predict.Prediction, y []float32, modes []vtracer.CurveMode) map[string][2]float64 {
	hits := map[string]*[3]float64{}
	add := func(k string, in68, in95 bool) {
		h := hits[k]
		if h == nil {
			h = new([3]float64)
			hits[k] = h
		}
		h[2]++
		if in68 {
			h[0]++
		}
		if in95 {
			h[1]++
		}
	}
	for i, p := range preds {
		e := math.Abs(p.SSIM - float64(y[i]))
		in68 := e <= p.Quantile(0.5+0.683/2)-p.SSIM
		in95 := e <= p.Quantile(0.5+0.954/2)-p.SSIM
		add("all", in68, in95)
		add(string(modes[i]), in68, in95)
	}
	out := map[string][2]float64{}
	for k, h := range hits {
		out[k] = [2]float64{h[0] / h[2], h[1] / h[2]}
	}
	return out
}
