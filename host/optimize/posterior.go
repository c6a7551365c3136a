package optimize

import (
	"math"

	"github.com/svgai/svgai/shared/predict"
)

// posterior holds one image's predictions conditioned on the real
// conversions seen so far. The errors of an image's predictions are
// correlated (a simulation that misjudges the image misjudges most of its
// parameter sets alike); modelling them as equicorrelated with correlation
// ρ in units of each prediction's uncertainty, after n conversions with
// standardised errors z₁…zₙ every other prediction's expected error is
//
//	ρ·Σz / (1 + (n−1)ρ)  uncertainties,
//
// and its uncertainty shrinks by √(1 − nρ² / (1 + (n−1)ρ)): the
// conditional distribution of an equicorrelated Gaussian vector. The same
// holds for ln(SVG size) with its own correlation.
type posterior struct {
	preds  []predict.Prediction
	corr   Correlation
	tried  []bool
	n      int     // conversions observed
	sumZ   float64 // Σ standardised SSIM errors
	sumZB  float64 // Σ standardised ln-size errors
	nBytes int     // conversions with a usable size error
}

func newPosterior(preds []predict.Prediction, corr Correlation) *posterior {
	return &posterior{preds: preds, corr: corr, tried: make([]bool, len(preds))}
}

// observe records the real SSIM and SVG size of candidate i.
func (p *posterior) observe(i int, ssim, bytes float64) {
	p.tried[i] = true
	p.n++
	if u := p.preds[i].Uncertainty; u > 0 {
		p.sumZ += (ssim - p.preds[i].SSIM) / u
	}
	if s := p.preds[i].SVGBytesLogSigma; s > 0 && bytes > 0 && p.preds[i].SVGBytes > 0 {
		p.sumZB += math.Log(bytes/p.preds[i].SVGBytes) / s
		p.nBytes++
	}
}

// at is candidate i's prediction given the conversions observed.
func (p *posterior) at(i int) predict.Prediction {
	q := p.preds[i]
	if shift, scale := condition(p.corr.SSIM, p.n, p.sumZ); shift != 0 || scale != 1 {
		q.SSIM += shift * q.Uncertainty
		q.Uncertainty *= scale
	}
	if shift, scale := condition(p.corr.Bytes, p.nBytes, p.sumZB); shift != 0 || scale != 1 {
		q.SVGBytes *= math.Exp(shift * q.SVGBytesLogSigma)
		q.SVGBytesLogSigma *= scale
	}
	return q
}

// condition returns the expected standardised error, and the factor on the
// uncertainty, of one more variable of an equicorrelated Gaussian vector
// (correlation rho) after n observations whose standardised errors sum to
// sumZ.
func condition(rho float64, n int, sumZ float64) (shift, scale float64) {
	if n == 0 || !(rho > 0 && rho < 1) {
		return 0, 1
	}
	d := 1 + float64(n-1)*rho
	return rho * sumZ / d, math.Sqrt(max(1-float64(n)*rho*rho/d, 0))
}
