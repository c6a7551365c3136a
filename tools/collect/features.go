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
)

// FeatureStats counts what Featurize did.
type FeatureStats struct {
	Images  int // images offered
	Present int // already in the store
	Added   int // features computed and stored
	Failed  int // images that could not be read or prepared (recorded with the reason)
}

// Featurize computes the features of every image of srcs that the store
// lacks, in batches of at most batch images, flushing after each batch so
// an interrupted run resumes where it stopped. only, when not nil, limits
// the work to images whose SHA-256 it holds (the images of a dataset).
func Featurize(ctx context.Context, srcs []Source, ex *features.Extractor, store *featstore.Store, batch, maxPixels int, only map[string]bool, log hclog.Logger, prog *Progress) (FeatureStats, error) {
	var st FeatureStats
	var imgs []image.Image
	var shas []string
	flush := func() error {
		if len(imgs) == 0 {
			return nil
		}
		res, err := ex.Extract(ctx, imgs)
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
		in, err := convert.LoadFile(s.Path, maxPixels)
		if err != nil {
			st.Failed++
			log.Warn("unreadable image", "path", s.Path, "error", err)
			if prog != nil {
				prog.Step()
			}
			continue
		}
		if only != nil && !only[in.SHA256] {
			if prog != nil {
				prog.Step()
			}
			continue
		}
		st.Images++
		if store.Has(in.SHA256) || slices.Contains(shas, in.SHA256) {
			st.Present++
			if prog != nil {
				prog.Step()
			}
			continue
		}
		imgs, shas = append(imgs, in.Image), append(shas, in.SHA256)
		if len(imgs) >= batch {
			if err := flush(); err != nil {
				return st, fmt.Errorf("collect: features: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return st, fmt.Errorf("collect: features: %w", err)
	}
	return st, nil
}
