package featstore

import (
	"context"

	"github.com/svgai/svgai/model/dataset"
)

// Joined is one record with what a model reads of it from the store.
type Joined struct {
	Record      *dataset.Record
	ResNet      []float32 // the image's ResNet features; nil unless asked for
	Handcrafted []float32 // the image's handcrafted features
	Simulation  []float32 // this conversion's simulation; nil unless asked for
}

// JoinOptions says which features ScanJoined reads.
type JoinOptions struct {
	ResNet, Simulation bool
}

// ScanJoined streams the records of ds (withdrawn ones left out), a batch at
// a time, each with its image's features and, if asked, its simulation:
// the streaming reader for training on datasets of any size. Records whose
// features (or simulation) are missing are counted, not passed. Memory
// holds one batch, its features, ds's image metadata and s's key indexes
// (about 30 bytes a row); an image's features are read once for a run of
// its records, which is how collection stores them. The batch and its
// slices are valid until fn returns.
func (s *Store) ScanJoined(ctx context.Context, ds *dataset.Store, opts JoinOptions, fn func(batch []Joined) error) (missing int, err error) {
	var (
		batch       []Joined
		lastImage   string
		lastOK      bool
		resnet, hcf []float32
	)
	err = ds.Scan(ctx, func(recs []dataset.Record) error {
		batch = batch[:0]
		for i := range recs {
			r := &recs[i]
			if r.Image.SHA256 != lastImage {
				lastImage = r.Image.SHA256
				resnet, hcf, lastOK = s.Get(lastImage)
			}
			if !lastOK {
				missing++
				continue
			}
			j := Joined{Record: r, Handcrafted: hcf}
			if opts.ResNet {
				j.ResNet = resnet
			}
			if opts.Simulation {
				sim, ok := s.Simulation(r.Image.SHA256, r.Params.Hash())
				if !ok {
					missing++
					continue
				}
				j.Simulation = sim
			}
			batch = append(batch, j)
		}
		if err := s.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		return fn(batch)
	})
	return missing, err
}
