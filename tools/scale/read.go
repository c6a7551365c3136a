package scale

import (
	"context"
	"fmt"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/tools/collect"
)

// TrainingRead is what ReadForTraining read.
type TrainingRead struct {
	Records int                   // records joined with their features
	Missing int                   // records without features or simulation
	Rows    map[dataset.Split]int // model rows built, per split
	Dims    int                   // values per row
	// Sum adds every value of every row: it shows that everything was read
	// and lets two reads of one dataset be compared.
	Sum float64
}

// ReadForTraining reads a built dataset and its feature store as training
// does, but streaming: every record, joined with its image's features and
// its simulation (featstore.ScanJoined), placed in its split, turned into
// the model's input row for in (predictor.Inputs.AppendRow) and dropped.
// It checks the split against the records' fingerprint, which costs a
// dataset.Summary (about 64 bytes a record).
func ReadForTraining(ctx context.Context, dsPath, featPath string, in predictor.Inputs) (TrainingRead, error) {
	tr := TrainingRead{Rows: map[dataset.Split]int{}}
	split, err := collect.ReadSplitFile(dsPath)
	if err != nil {
		return tr, err
	}
	ds, err := dataset.OpenReadOnly(ctx, dsPath)
	if err != nil {
		return tr, err
	}
	defer ds.Close()
	fs, err := featstore.OpenReadOnly(ctx, featPath)
	if err != nil {
		return tr, err
	}
	defer fs.Close()
	ex := fs.Extractor()
	tr.Dims = in.Dims(ex.Dim, len(ex.HandcraftedNames), len(ex.SimulationNames))
	sum := dataset.NewSummary(ds.Len())
	row := make([]float32, 0, tr.Dims)
	tr.Missing, err = fs.ScanJoined(ctx, ds, featstore.JoinOptions{ResNet: in.ResNet, Simulation: in.Simulation}, func(batch []featstore.Joined) error {
		for _, j := range batch {
			r := j.Record
			sum.Add(*r)
			is, ok := split.Assignment[r.Image.SHA256]
			if !ok {
				return fmt.Errorf("scale: image %.12s is in no split: rebuild the split", r.Image.SHA256)
			}
			row = in.AppendRow(row[:0], predictor.Features{ResNet: j.ResNet, Handcrafted: j.Handcrafted, Simulation: j.Simulation}, r.Params)
			for _, v := range row {
				tr.Sum += float64(v)
			}
			tr.Rows[is.Split]++
			tr.Records++
		}
		return nil
	})
	if err != nil {
		return tr, err
	}
	if tr.Missing == 0 {
		err = split.Check(dsPath, sum.Fingerprint())
	}
	return tr, err
}
