package collect

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/shared/vtracer"
)

// Collector runs conversions and stores their records.
type Collector struct {
	Converter *convert.Converter
	Store     *dataset.Store
	Sampling  Sampling
	Workers   int // parallel conversions; at least 1
	MaxPixels int // images over this are skipped with an error (0: no limit)
	// Shard limits the run to the images of one part of the corpus; the
	// zero value is all of it.
	Shard Shard
	// FlushEvery bounds how much finished work a crash can lose; 0 means 2 s.
	FlushEvery time.Duration
	Log        hclog.Logger
	Progress   *Progress // may be nil
}

// Stats counts what a run did.
type Stats struct {
	Images      int // images read
	OtherShards int // images left to other shards
	BadImages   int // images that could not be read (logged and skipped)
	Skipped     int // conversions already in the dataset
	Converted   int // conversions run
	Added       int // records stored
	Quarantined int // records that failed validation or conversion
}

type job struct {
	img    *convert.Input
	meta   dataset.Image
	params vtracer.Params
}

type result struct {
	job
	rec dataset.Record
	err error
}

// Run converts every image of srcs with its parameter sets, skipping the
// records already stored, and stores the results. It returns when all work
// is done or ctx is cancelled; either way everything finished is flushed.
func (c *Collector) Run(ctx context.Context, srcs []Source) (Stats, error) {
	log := c.Log
	if log == nil {
		log = hclog.NewNullLogger()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, 4*max(c.Workers, 1))
	results := make(chan result, 4*max(c.Workers, 1))
	var st Stats
	var planErr error
	// The total is known before any image is read: each image's share is
	// its presets plus samples, corrected once its sets are known.
	c.Progress.Add(len(srcs) * c.Sampling.MaxSets())
	go func() {
		defer close(jobs)
		planErr = c.plan(ctx, srcs, jobs, &st, log)
	}()
	var wg sync.WaitGroup
	for i := 0; i < max(c.Workers, 1); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- c.convert(ctx, j)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	writeErr := c.write(ctx, results, &st, log)
	if writeErr != nil {
		cancel()
		for range results { // let the workers finish
		}
	}
	if err := c.Store.Flush(context.WithoutCancel(ctx)); err != nil && writeErr == nil {
		writeErr = err
	}
	if c.Progress != nil {
		c.Progress.Done()
	}
	return st, errors.Join(writeErr, planErr, ctx.Err())
}

// plan reads each image, works out its parameter sets and queues the ones
// not yet stored. Counters it touches are read by Run only after jobs closes.
func (c *Collector) plan(ctx context.Context, srcs []Source, jobs chan<- job, st *Stats, log hclog.Logger) error {
	for _, s := range srcs {
		in, err := loadIn(s.Path, c.Shard, c.MaxPixels)
		if err != nil {
			c.Progress.Add(-c.Sampling.MaxSets())
			st.BadImages++
			log.Warn("skipping image", "path", s.Path, "error", err)
			continue
		}
		if in == nil {
			st.OtherShards++
			continue
		}
		st.Images++
		meta := dataset.Image{SHA256: in.SHA256, Path: s.Rel, Source: s.Origin, License: s.License, Category: s.Category,
			Width: in.Info.Width, Height: in.Info.Height, Format: in.Info.Format}
		dataset.Describe(&meta, in.Image)
		sets, err := c.Sampling.ParamSets(in.SHA256)
		if err != nil {
			return err
		}
		c.Progress.Add(len(sets) - c.Sampling.MaxSets())
		for _, p := range sets {
			has, err := c.Store.Has(dataset.Key{Image: in.SHA256, Params: p.Hash()})
			if err != nil {
				return err
			}
			if has {
				st.Skipped++
				if c.Progress != nil {
					c.Progress.Step()
				}
				continue
			}
			select {
			case jobs <- job{img: in, meta: meta, params: p}:
			case <-ctx.Done():
				return nil
			}
		}
	}
	return nil
}

func (c *Collector) convert(ctx context.Context, j job) result {
	r, err := c.Converter.Convert(ctx, j.img.Image, j.params)
	if err != nil {
		return result{job: j, err: err}
	}
	return result{job: j, rec: dataset.Record{
		Image:   j.meta,
		Params:  j.params,
		Output:  dataset.Output{SVGBytes: len(r.SVG), Paths: r.Paths, TraceMS: float64(r.TraceTime.Microseconds()) / 1e3, Tracer: r.Tracer},
		Quality: dataset.Quality{SSIM: r.Quality.SSIM, MSE: r.Quality.MSE, PSNR: r.Quality.PSNR},
		Origin:  "collect",
	}}
}

// write is the dataset's single writer: it validates each result, stores or
// quarantines it, and flushes at least every FlushEvery.
func (c *Collector) write(ctx context.Context, results <-chan result, st *Stats, log hclog.Logger) error {
	every := c.FlushEvery
	if every <= 0 {
		every = 2 * time.Second
	}
	last := time.Now()
	for r := range results {
		if ctx.Err() != nil && errors.Is(r.err, context.Canceled) {
			continue // interrupted, not failed: a rerun will do it
		}
		st.Converted++
		if err := c.store(ctx, r, st, log); err != nil {
			return err
		}
		if c.Progress != nil {
			c.Progress.Step()
		}
		if time.Since(last) >= every {
			if err := c.Store.Flush(ctx); err != nil {
				return err
			}
			last = time.Now()
		}
	}
	return nil
}

func (c *Collector) store(ctx context.Context, r result, st *Stats, log hclog.Logger) error {
	rec := r.rec
	reason := r.err
	if reason == nil {
		reason = dataset.Validate(&rec)
	} else {
		rec = dataset.Record{Image: r.meta, Params: r.params, Origin: "collect"}
		reason = fmt.Errorf("conversion failed: %w", reason)
	}
	if reason != nil {
		st.Quarantined++
		log.Warn("quarantined", "image", r.meta.Path, "params", string(r.params.MarshalCanonical()), "reason", reason)
		_, err := c.Store.Quarantine(ctx, &rec, "collect", reason)
		return err
	}
	n, err := c.Store.Add(ctx, rec)
	st.Added += n
	return err
}
