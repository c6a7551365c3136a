package fit

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/train"
)

// Table is a dataset turned into model rows: one per record whose image
// has features, with the record's split and fold.
type Table struct {
	Data  train.Dataset
	Split []dataset.Split
	Fold  []int
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
