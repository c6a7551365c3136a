package fit

import (
	"context"
	"fmt"
	"math"
	"path/filepath"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/model/checkpoint"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/mlp"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/train"
	"github.com/svgai/svgai/shared/vtracer"
)

// fitSize trains the size networks: ln(SVG bytes) and ln(1 + paths) from
// the same rows as the SSIM network, each a correction to the simulation's
// own estimate (its baseline), on the training split with early stopping
// on the validation split. The validation residuals then give the spread
// of ln-size errors per path mode and their correlation within an image.
func fitSize(ctx context.Context, t *Table, opt Options, m *predictor.Model, log hclog.Logger) error {
	cfg := opt.Config
	meta := checkpoint.Meta{ExtractorID: opt.Extractor.ID, DatasetFingerprint: opt.DatasetFingerprint, CodeVersion: opt.CodeVersion}
	simNames := opt.Extractor.SimulationNames
	nets := []struct {
		name, baseline string
		y              []float32
		dst            *string
	}{
		{"bytes", features.SimLogBytes, t.LogBytes, &m.Meta.Size.Bytes},
		{"paths", features.SimLogPaths, t.LogPaths, &m.Meta.Size.Paths},
	}
	var valResid []float64
	for _, n := range nets {
		rows := func(s dataset.Split) train.Dataset {
			d := t.In(s)
			d.Y, d.Unbounded = nil, true
			d.Baseline = opt.Inputs.SimColumn(t.Data.Dims, simNames, n.baseline)
			for i, sp := range t.Split {
				if sp == s {
					d.Y = append(d.Y, n.y[i])
				}
			}
			return d
		}
		dir := filepath.Join(opt.OutDir, "size", n.name)
		tr, val := rows(dataset.Train), rows(dataset.Val)
		res, err := train.Train(ctx, cfg, tr, val, train.Options{OutDir: dir, Meta: meta, Logger: log.Named("size-" + n.name)})
		if err != nil {
			return fmt.Errorf("fit: size network %s: %w", n.name, err)
		}
		*n.dst = filepath.Join("size", n.name, predictor.MainCheckpoint)
		net, resid, err := bestOf(res.Model, val)
		if err != nil {
			return fmt.Errorf("fit: size network %s: %w", n.name, err)
		}
		if net != res.Model {
			log.Info("the simulation's own size estimate beats the trained correction on the validation split: keeping it", "network", n.name)
			ck := checkpoint.Checkpoint{Kind: "best", Epoch: 0, Meta: meta, Model: net}
			if err := checkpoint.Save(filepath.Join(opt.OutDir, *n.dst), ck); err != nil {
				return fmt.Errorf("fit: size network %s: %w", n.name, err)
			}
		}
		if n.name == "bytes" {
			valResid = resid
		}
	}
	modes, groups := t.ModesIn(dataset.Val), t.In(dataset.Val).Group
	m.Meta.Size.LogSigma = map[vtracer.CurveMode]float64{}
	for _, mode := range []vtracer.CurveMode{vtracer.Spline, vtracer.Polygon, vtracer.None} {
		var ss float64
		var n int
		for i, r := range valResid {
			if modes[i] == mode {
				ss += r * r
				n++
			}
		}
		if n > 0 {
			m.Meta.Size.LogSigma[mode] = max(math.Sqrt(ss/float64(n)), 0.01)
		}
	}
	rows := make([]residual, len(valResid))
	for i, r := range valResid {
		rows[i] = residual{err: r, spread: 1, mode: modes[i], group: groups[i]}
	}
	c := predictor.Calibration{Scale: m.Meta.Size.LogSigma}
	m.Meta.Size.ErrorCorrelation = errorCorrelation(c, rows)
	return nil
}

// bestOf returns the trained network or, when it does worse on the
// validation rows than its baseline alone (the simulation's estimate,
// uncorrected), a copy whose output layer is zero, which predicts the
// baseline unchanged; and that network's validation residuals. A simulation
// that writes VTracer's SVG byte for byte leaves a correction little to
// learn but noise.
func bestOf(net *mlp.Model, val train.Dataset) (*mlp.Model, []float64, error) {
	id, err := mlp.FromParams(net.Config, net.Params, net.Norm)
	if err != nil {
		return nil, nil, err
	}
	segs := id.Segments()
	for _, seg := range segs[len(segs)-2:] { // the output layer's weights and bias
		clear(id.Params[seg.Offset : seg.Offset+seg.Len()])
	}
	var best *mlp.Model
	var bestResid []float64
	bestSS := math.Inf(1)
	for _, cand := range []*mlp.Model{net, id} {
		p, err := cand.Predict(val.X, val.Len())
		if err != nil {
			return nil, nil, err
		}
		resid := make([]float64, len(p))
		var ss float64
		for i := range p {
			resid[i] = float64(val.Y[i] - p[i])
			ss += resid[i] * resid[i]
		}
		if ss < bestSS {
			best, bestResid, bestSS = cand, resid, ss
		}
	}
	return best, bestResid, nil
}
