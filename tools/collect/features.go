package collect

import (
	"context"
	"fmt"
	"image"
	"slices"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/vtsim"
	"github.com/svgai/svgai/shared/vtracer"
)

// FeatureStats counts what Featurize did.
type FeatureStats struct {
	Images      int // images offered (of this shard)
	OtherShards int // images left to other shards
	Present     int // already in the store
	Added       int // features computed and stored
	Failed      int // images that could not be read or prepared (recorded with the reason)
	// Simulated counts the (image, parameter set) simulations computed and
	// stored.
	Simulated int
}

// Featurizer computes the features of a corpus's images into a feature
// store.
type Featurizer struct {
	Extractor *features.Extractor
	Store     *featstore.Store
	Batch     int // images per batch
	MaxPixels int // images over this are recorded as failed (0: no limit)
	// Only, when not nil, limits the work to images whose SHA-256 it holds
	// (the images of a dataset) and lists the parameter sets each is
	// converted with in the dataset: their simulation features
	// (features.Simulate) are stored too.
	Only map[string][]vtracer.Params
	// Shard limits the work to the images of one part of the corpus; the
	// zero value is all of it.
	Shard    Shard
	Log      hclog.Logger
	Progress *Progress // may be nil
}

// Run computes the features of every image of srcs that the store lacks,
// in batches, flushing after each batch so an interrupted run resumes
// where it stopped.
func (f *Featurizer) Run(ctx context.Context, srcs []Source) (FeatureStats, error) {
	var st FeatureStats
	var imgs []image.Image
	var shas []string
	log, prog, store := f.Log, f.Progress, f.Store
	if log == nil {
		log = hclog.NewNullLogger()
	}
	flush := func() error {
		if len(imgs) == 0 {
			return nil
		}
		res, err := f.Extractor.Extract(ctx, imgs)
		if err != nil {
			return err
		}
		for i, r := range res {
			if r.Err != nil {
				st.Failed++
				log.Warn("no features", "image", shas[i], "error", r.Err)
				if err := store.Fail(ctx, shas[i], r.Err); err != nil {
					return err
				}
			} else if ok, err := store.Add(ctx, shas[i], r.Features, r.Handcrafted); err != nil {
				return err
			} else if ok {
				st.Added++
			}
			if prog != nil {
				prog.Step()
			}
		}
		imgs, shas = imgs[:0], shas[:0]
		return store.Flush(ctx)
	}
	if prog != nil {
		prog.Add(len(srcs))
	}
	for _, s := range srcs {
		in, err := loadIn(s.Path, f.Shard, f.MaxPixels)
		if err != nil || in == nil {
			if err != nil {
				st.Failed++
				log.Warn("unreadable image", "path", s.Path, "error", err)
			} else {
				st.OtherShards++
			}
			if prog != nil {
				prog.Step()
			}
			continue
		}
		params, want := f.Only[in.SHA256]
		if f.Only != nil && !want {
			if prog != nil {
				prog.Step()
			}
			continue
		}
		st.Images++
		n, err := simulate(ctx, store, in, params)
		if err != nil {
			return st, fmt.Errorf("collect: features: %w", err)
		}
		st.Simulated += n
		if store.Has(in.SHA256) || slices.Contains(shas, in.SHA256) {
			st.Present++
			if prog != nil {
				prog.Step()
			}
			continue
		}
		imgs, shas = append(imgs, in.Image), append(shas, in.SHA256)
		if len(imgs) >= max(f.Batch, 1) {
			if err := flush(); err != nil {
				return st, fmt.Errorf("collect: features: %w", err)
			}
		}
	}
	err := flush()
	if err == nil {
		err = store.Flush(ctx)
	}
	if err != nil {
		return st, fmt.Errorf("collect: features: %w", err)
	}
	return st, nil
}

// simulate stores the simulation features of the image under those of the
// parameter sets that lack them, and returns how many it stored.
func simulate(ctx context.Context, store *featstore.Store, in *convert.Input, params []vtracer.Params) (int, error) {
	var missing []vtracer.Params
	for _, p := range params {
		if !store.HasSimulation(in.SHA256, p.Hash()) && !slices.Contains(missing, p) {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return 0, nil
	}
	sims, err := features.Simulate(ctx, vtsim.NewScorer(in.Image), missing, nil)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", in.Path, err)
	}
	for i, p := range missing {
		if _, err := store.AddSimulation(ctx, in.SHA256, p.Hash(), sims[i]); err != nil {
			return 0, err
		}
	}
	return len(missing), nil
}
