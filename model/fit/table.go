package fit

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/train"
	"github.com/svgai/svgai/shared/vtracer"
)

// Table is a dataset turned into model rows: one per record whose image
// has features, with the record's split and fold.
type Table struct {
	Data  train.Dataset
	Split []dataset.Split
	Fold  []int
	Mode  []vtracer.CurveMode // each row's path mode
	// LogBytes and LogPaths are each row's ln(SVG bytes) and
	// ln(1 + paths): the size networks' targets.
	LogBytes, LogPaths []float32
	// Missing counts records left out because their image had no features
	// or, when the model reads the simulation, the record had none.
	Missing int
}

// BuildTable joins records with their images' features and, when in reads
// them, their simulations. Rows are in canonical order, by image SHA-256
// then parameter hash, whatever order the records came in (collection
// order follows worker timing): training, which shuffles with its seed,
// then gives the same model from the same data.
func BuildTable(recs []dataset.Record, fs *featstore.Store, assign dataset.Assignment, in predictor.Inputs) (*Table, error) {
	ex := fs.Extractor()
	dims := in.Dims(ex.Dim, len(ex.HandcraftedNames), len(ex.SimulationNames))
	t := &Table{Data: train.Dataset{Dims: dims, Baseline: in.Baseline(dims)}}
	order := make([]int, len(recs))
	hashes := make([]string, len(recs))
	for i := range recs {
		order[i], hashes[i] = i, recs[i].Params.Hash()
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(recs[a].Image.SHA256, recs[b].Image.SHA256), cmp.Compare(hashes[a], hashes[b]))
	})
	for _, i := range order {
		r := &recs[i]
		var f predictor.Features
		var ok bool
		f.ResNet, f.Handcrafted, ok = fs.Get(r.Image.SHA256)
		if ok && in.Simulation {
			f.Simulation, ok = fs.Simulation(r.Image.SHA256, hashes[i])
		}
		if !ok {
			t.Missing++
			continue
		}
		is, ok := assign[r.Image.SHA256]
		if !ok {
			return nil, fmt.Errorf("fit: image %s is in no split: rebuild the split", r.Image.SHA256[:12])
		}
		t.Data.X = in.AppendRow(t.Data.X, f, r.Params)
		// The model's sigmoid output lives in (0, 1); an SSIM below 0 (a
		// trace anti-correlated with its input) is as useless as 0.
		t.Data.Y = append(t.Data.Y, float32(max(r.Quality.SSIM, 0)))
		t.Data.Group = append(t.Data.Group, r.Image.SHA256)
		t.Data.Category = append(t.Data.Category, r.Image.Category)
		t.Split = append(t.Split, is.Split)
		t.Mode = append(t.Mode, r.Params.Mode)
		t.LogBytes = append(t.LogBytes, float32(math.Log(float64(max(r.Output.SVGBytes, 1)))))
		t.LogPaths = append(t.LogPaths, float32(math.Log1p(float64(max(r.Output.Paths, 0)))))
		t.Fold = append(t.Fold, is.Fold)
	}
	if t.Data.Len() == 0 {
		return nil, fmt.Errorf("fit: no record has features (%d records, feature store of extractor %s%s)", len(recs), ex.ID, simHint(in))
	}
	return t, nil
}

// Rows returns the rows for which keep is true, as a dataset.
func (t *Table) Rows(keep func(i int) bool) train.Dataset {
	d := train.Dataset{Dims: t.Data.Dims, Baseline: t.Data.Baseline}
	for i := 0; i < t.Data.Len(); i++ {
		if !keep(i) {
			continue
		}
		d.X = append(d.X, t.Data.X[i*d.Dims:(i+1)*d.Dims]...)
		d.Y = append(d.Y, t.Data.Y[i])
		d.Group = append(d.Group, t.Data.Group[i])
		d.Category = append(d.Category, t.Data.Category[i])
	}
	return d
}

// modesOf returns the path modes of the rows for which keep is true.
func (t *Table) modesOf(keep func(i int) bool) []vtracer.CurveMode {
	var out []vtracer.CurveMode
	for i, m := range t.Mode {
		if keep(i) {
			out = append(out, m)
		}
	}
	return out
}

// SizesIn returns the ln(SVG bytes) and ln(1 + paths) of one split's
// rows, in order.
func (t *Table) SizesIn(s dataset.Split) (logBytes, logPaths []float32) {
	for i, sp := range t.Split {
		if sp == s {
			logBytes, logPaths = append(logBytes, t.LogBytes[i]), append(logPaths, t.LogPaths[i])
		}
	}
	return logBytes, logPaths
}

// ModesIn returns the path modes of one split's rows, in order.
func (t *Table) ModesIn(s dataset.Split) []vtracer.CurveMode {
	return t.modesOf(func(i int) bool { return t.Split[i] == s })
}

// In returns the rows of one split.
func (t *Table) In(s dataset.Split) train.Dataset {
	return t.Rows(func(i int) bool { return t.Split[i] == s })
}

func simHint(in predictor.Inputs) string {
	if in.Simulation {
		return "; simulations are stored by 'svgai-tools features --dataset'"
	}
	return ""
}
