package dataset

import (
	"context"
	"fmt"
	"strings"

	"github.com/svgai/svgai/model/hdf5store"
	"github.com/svgai/svgai/shared/vtracer"
)

// Scan calls fn with every stored record that is not withdrawn, in the
// order they were added, a batch (a few thousand) at a time, reading the
// file a block at a time: memory holds one batch, every image's metadata
// (about 300 bytes an image) and the withdrawn records' keys. The slice is
// reused: it is valid until fn returns. fn may add to the store.
func (s *Store) Scan(ctx context.Context, fn func(recs []Record) error) error {
	withdrawn, err := s.withdrawn(ctx)
	if err != nil {
		return err
	}
	var keep []Record
	return s.scan(ctx, func(keys []string, recs []Record) error {
		keep = keep[:0]
		for i := range recs {
			if !withdrawn[keys[i]] {
				keep = append(keep, recs[i])
			}
		}
		if len(keep) == 0 {
			return nil
		}
		return fn(keep)
	})
}

// Records returns every stored record that is not withdrawn, in the order
// they were added. It holds them all in memory (about 400 bytes a record):
// for large datasets, use Scan.
func (s *Store) Records(ctx context.Context) ([]Record, error) {
	var out []Record
	err := s.Scan(ctx, func(recs []Record) error {
		out = append(out, recs...)
		return nil
	})
	return out, err
}

// ReadAll returns the records of the dataset at path, opened read-only,
// withdrawn ones left out, all in memory (see Records).
func ReadAll(ctx context.Context, path string) ([]Record, error) {
	s, err := OpenReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Records(ctx)
}

// scan calls fn with every record of the records table, withdrawn or not,
// a block at a time, with their keys.
func (s *Store) scan(ctx context.Context, fn func(keys []string, recs []Record) error) error {
	images, err := s.imageIndex(ctx)
	if err != nil {
		return err
	}
	var recs []Record
	var keys []string
	err = s.records.Scan(ctx, 0, -1, func(b *hdf5store.Batch) error {
		recs, keys = recs[:0], keys[:0]
		sha, params, tracer, origin := b.Strings("image_sha256"), b.Strings("params"), b.Strings("tracer"), b.Strings("origin")
		svgBytes, paths := b.Int64s("svg_bytes"), b.Int64s("paths")
		ms, ssim, mse, psnr := b.Float64s("ms"), b.Float64s("ssim"), b.Float64s("mse"), b.Float64s("psnr")
		for i := 0; i < b.Len(); i++ {
			im, ok := images[sha[i]]
			if !ok {
				return fmt.Errorf("dataset: record %s: no image metadata", b.Key(i))
			}
			p, err := vtracer.ParseJSON([]byte(params[i]), vtracer.Default())
			if err != nil {
				return fmt.Errorf("dataset: record %s: %w", b.Key(i), err)
			}
			keys = append(keys, b.Key(i))
			recs = append(recs, Record{
				Image:   im,
				Params:  p,
				Output:  Output{SVGBytes: int(svgBytes[i]), Paths: int(paths[i]), TraceMS: ms[i], Tracer: tracer[i]},
				Quality: Quality{SSIM: ssim[i], MSE: mse[i], PSNR: psnr[i]},
				Origin:  origin[i],
			})
		}
		return fn(keys, recs)
	})
	if err != nil {
		return fmt.Errorf("dataset: %s: %w", s.Path(), err)
	}
	return nil
}

// imageIndex reads every image's metadata.
func (s *Store) imageIndex(ctx context.Context) (map[string]Image, error) {
	out := make(map[string]Image, s.images.Len())
	err := s.images.Scan(ctx, 0, -1, func(b *hdf5store.Batch) error {
		path, source, license, category, format := b.Strings("path"), b.Strings("source"), b.Strings("license"), b.Strings("category"), b.Strings("format")
		width, height, colors := b.Int64s("width"), b.Int64s("height"), b.Int64s("colors")
		alpha, edges, entropy := b.Float64s("alpha_coverage"), b.Float64s("edge_density"), b.Float64s("entropy")
		for i := 0; i < b.Len(); i++ {
			out[b.Key(i)] = Image{
				SHA256: b.Key(i), Path: path[i], Source: source[i], License: license[i], Category: category[i], Format: format[i],
				Width: int(width[i]), Height: int(height[i]), Colors: int(colors[i]),
				AlphaCoverage: alpha[i], EdgeDensity: edges[i], Entropy: entropy[i],
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: images: %w", s.Path(), err)
	}
	return out, nil
}

// withdrawn returns the keys of the stored records that were withdrawn:
// quarantine entries keyed by a record's own key.
func (s *Store) withdrawn(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.quarantine.Scan(ctx, 0, -1, func(b *hdf5store.Batch) error {
		for i := 0; i < b.Len(); i++ {
			if !strings.Contains(b.Key(i), "#") {
				out[b.Key(i)] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: quarantine: %w", s.Path(), err)
	}
	return out, nil
}

// Report is what Revalidate found.
type Report struct {
	Valid            int            `json:"valid"`             // records that pass Validate
	NewlyQuarantined int            `json:"newly_quarantined"` // records that failed now and were withdrawn
	Quarantined      int            `json:"quarantined"`       // the quarantine's size afterwards
	ByReason         map[string]int `json:"by_reason"`         // quarantine entries by field at fault (or "conversion")
}

// Revalidate checks every stored record again, for example after the rules
// changed, and withdraws those that fail into the quarantine. Nothing is
// deleted: a withdrawn record stays in the file, out of Scan and Records,
// with its reason. It streams the records; see Scan for the memory.
func (s *Store) Revalidate(ctx context.Context) (Report, error) {
	rep := Report{ByReason: map[string]int{}}
	err := s.Scan(ctx, func(recs []Record) error {
		for i := range recs {
			verr := Validate(&recs[i])
			if verr == nil {
				rep.Valid++
				continue
			}
			rep.NewlyQuarantined++
			if _, err := s.withdraw(ctx, &recs[i], verr); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	err = s.quarantine.Scan(ctx, 0, -1, func(b *hdf5store.Batch) error {
		for _, reason := range b.Strings("reason") {
			rep.ByReason[reasonClass(reason)]++
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("dataset: %s: quarantine: %w", s.Path(), err)
	}
	rep.Quarantined = s.quarantine.Len()
	return rep, s.Flush(ctx)
}

// reasonClass shortens a quarantine reason to the field at fault.
func reasonClass(reason string) string {
	const prefix = "dataset: invalid "
	if i := strings.Index(reason, prefix); i >= 0 {
		field, _, _ := strings.Cut(reason[i+len(prefix):], ":")
		return field
	}
	if strings.Contains(reason, "conversion failed") {
		return "conversion"
	}
	return "other"
}
