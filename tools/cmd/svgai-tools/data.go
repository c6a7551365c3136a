package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	hostconfig "github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/hdf5store"
	"github.com/svgai/svgai/shared/cli"
	"github.com/svgai/svgai/tools/collect"
	"github.com/svgai/svgai/tools/report"
	"github.com/svgai/svgai/tools/settings"
)

// The data pipeline's commands: collect, ingest, validate, build, export.
func dataCommands() []command {
	return []command{
		{"collect", "run real VTracer conversions of a corpus and store scored records", runCollect},
		{"ingest", "store existing results (svgai convert/optimize --json lines) as records", runIngest},
		{"validate", "check every record of a dataset; report and quarantine bad ones", runValidate},
		{"build", "split a dataset by image into train/val/test and k folds", runBuild},
		{"export", "write a dataset's records as JSON lines or CSV", runExport},
		{"merge", "unite shard files (datasets or feature stores) into one, each record once", runMerge},
		{"repair", "salvage what can be read of a damaged dataset or feature store into a new file", runRepair},
		{"report", "summarise a dataset: SSIM per category and per parameter, preset table, PNG plot", runReport},
	}
}

// toolsConfig adds --config (tools.toml, the one meaning of --config in
// svgai-tools) to fs and returns a loader for it.
func toolsConfig(fs *cli.FlagSet) func() (settings.Config, error) {
	path := fs.String("config", "tools.toml", "tools configuration `file` (optional when it is the default)")
	return func() (settings.Config, error) {
		return settings.Load(*path, !fs.Visited("config"))
	}
}

func runCollect(ctx context.Context, e *env, args []string) error {
	fs := e.flags("collect [--images DIR] [--out DATASET] [--shard i/n|auto] [flags]")
	images := fs.String("images", "", "corpus `dir` of PNG/JPEG images (default: paths.corpus)")
	out := fs.String("out", "", "dataset `file` to create or resume (default: paths.dataset); {shard} in it becomes the shard, i-of-n")
	perImage := fs.Int("samples-per-image", -1, "quasi-random parameter sets per image, besides the presets (default: collect.samples_per_image)")
	workers := fs.Int("workers", -1, "parallel conversions (default: collect.workers; 0 = one per CPU)")
	seed := fs.Int64("seed", -1, "sampling seed (default: collect.seed)")
	shardFlag := fs.String("shard", "", "only the images of shard `i/n` (by image SHA-256), or auto: i from $"+collect.ShardIndexEnv+", n from $"+collect.ShardCountEnv)
	flushEvery := fs.Duration("flush-every", 0, "the most finished work a crash can lose (default: collect.flush_every seconds)")
	hostCfg := fs.String("host-config", "plugin.toml", "host configuration `file` choosing the VTracer backend (optional)")
	load := toolsConfig(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	shard, err := collect.ShardFromEnv(*shardFlag)
	if err != nil {
		return usagef("%v", err)
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	c := cfg.Collect
	if *perImage >= 0 {
		c.PerImage = *perImage
	}
	if *workers >= 0 {
		c.Workers = *workers
	}
	if *seed >= 0 {
		c.Seed = uint64(*seed)
	}
	dir, path := or(*images, cfg.Paths.Corpus), shard.Path(or(*out, cfg.Paths.Dataset))
	srcs, err := collect.Sources(dir)
	if err != nil {
		return err
	}
	hc, err := hostconfig.Load(*hostCfg, true)
	if err != nil {
		return err
	}
	tr, err := convert.OpenTracer(ctx, hc.Tracer, e.log)
	if err != nil {
		return err
	}
	defer tr.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	store, err := dataset.Open(ctx, path)
	if err != nil {
		return err
	}
	if err := markShard(store, shard); err != nil {
		store.Close()
		return err
	}
	col := &collect.Collector{
		Converter: &convert.Converter{Tracer: tr}, Store: store, Sampling: c.Sampling, Shard: shard,
		Workers: settings.Workers(c.Workers), MaxPixels: c.MaxPixels, FlushEvery: cmp.Or(*flushEvery, time.Duration(c.FlushEvery)*time.Second),
		Log: e.log, Progress: e.Progress("collect", 0),
	}
	e.log.Info("collecting", "images", len(srcs), "shard", shard, "dataset", path, "workers", col.Workers, "sets_per_image", len(c.Presets)+c.PerImage)
	start := time.Now()
	st, err := col.Run(ctx, srcs)
	secs := time.Since(start).Seconds()
	err = errors.Join(err, closeStore(store, path))
	fmt.Fprintf(e.stdout, "images %d (unreadable %d, other shards %d), conversions %d in %.1fs (%.1f/s), stored %d, already present %d, quarantined %d; %s\n",
		st.Images, st.BadImages, st.OtherShards, st.Converted, secs, float64(st.Converted)/max(secs, 1e-9), st.Added, st.Skipped, st.Quarantined, onDisk(ctx, path))
	return err
}

// markShard records in a shard's file which shard it holds, and refuses a
// file that holds another shard's images (or every image).
func markShard(store interface {
	Attr(string) (string, bool)
	SetAttr(string, string) error
	Len() int
	Path() string
}, shard collect.Shard) error {
	want := shard.String()
	have, marked := store.Attr(dataset.ShardAttr)
	switch {
	case marked && have != want:
		return fmt.Errorf("%s holds the images of shard %s; this run is for shard %s: write to another file", store.Path(), have, want)
	case !marked && store.Len() > 0 && shard.Count > 0:
		return fmt.Errorf("%s holds images of every shard; this run is for shard %s: write to another file", store.Path(), want)
	case !marked && shard.Count > 0:
		return store.SetAttr(dataset.ShardAttr, want)
	}
	return nil
}

// closeStore closes a store opened for writing; an error means that not
// everything added may be on disk (the command then fails).
func closeStore(c interface{ Close() error }, path string) error {
	if err := c.Close(); err != nil {
		return fmt.Errorf("close %s: %w (the summary on standard output says what is on disk)", path, err)
	}
	return nil
}

// onDisk says what the dataset at path holds, read back from disk.
func onDisk(ctx context.Context, path string) string {
	s, err := dataset.OpenReadOnly(ctx, path)
	if err != nil {
		return fmt.Sprintf("on disk: cannot read %s: %v", path, err)
	}
	defer s.Close()
	c := s.Counts()
	return fmt.Sprintf("on disk: %s holds %d records of %d images, %d quarantine entries", path, c.Records, c.Images, c.Quarantined)
}

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := e.flags("ingest RESULTS.jsonl|- [--out DATASET] [--base DIR]")
	out := fs.String("out", "", "dataset `file` (default: paths.dataset)")
	base := fs.String("base", "", "`dir` that the lines' input paths are relative to and must stay inside (default: the results file's directory)")
	load := toolsConfig(fs)
	pos, err := parsePositional(fs, args, 1, "RESULTS.jsonl")
	if err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	f, err := e.Open(pos[0]) // - is standard input: svgai convert --json | svgai-tools ingest -
	if err != nil {
		return err
	}
	defer f.Close()
	path := or(*out, cfg.Paths.Dataset)
	store, err := dataset.Open(ctx, path)
	if err != nil {
		return err
	}
	st, err := collect.Ingest(ctx, f, or(*base, filepath.Dir(pos[0])), store, cfg.Collect.MaxPixels, e.log)
	err = errors.Join(err, closeStore(store, path))
	fmt.Fprintf(e.stdout, "lines %d: stored %d, already present %d, without parameters %d, quarantined %d (%d outside the base directory); %s\n",
		st.Lines, st.Added, st.Duplicates, st.NoParams, st.Quarantined, st.OutsideBase, onDisk(ctx, path))
	return err
}

func runValidate(ctx context.Context, e *env, args []string) error {
	fs := e.flags("validate DATASET [--json]")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := parsePositional(fs, args, 1, "DATASET")
	if err != nil {
		return err
	}
	// Open refuses a dataset it cannot read completely (damage to committed
	// data): nothing is rewritten then; see svgai-tools repair.
	store, err := dataset.Open(ctx, pos[0])
	if err != nil {
		return err
	}
	rep, err := store.Revalidate(ctx)
	err = errors.Join(err, closeStore(store, pos[0]))
	if err != nil {
		fmt.Fprintf(e.stdout, "validate failed; %s\n", onDisk(ctx, pos[0]))
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(rep)
	}
	fmt.Fprintf(e.stdout, "records %d valid, %d newly quarantined; quarantine holds %d; %s\n", rep.Valid, rep.NewlyQuarantined, rep.Quarantined, onDisk(ctx, pos[0]))
	reasons := make([]string, 0, len(rep.ByReason))
	for r := range rep.ByReason {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(e.stdout, "  %6d  %s\n", rep.ByReason[r], r)
	}
	return nil
}

func runBuild(ctx context.Context, e *env, args []string) error {
	fs := e.flags("build DATASET [--seed S]")
	seed := fs.Int64("seed", -1, "split seed (default: split.seed)")
	load := toolsConfig(fs)
	pos, err := parsePositional(fs, args, 1, "DATASET")
	if err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	sc := cfg.Split
	if *seed >= 0 {
		sc.Seed = uint64(*seed)
	}
	store, err := dataset.OpenReadOnly(ctx, pos[0])
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := collect.Build(ctx, store, sc)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "images: train %d, val %d, test %d; records: train %d, val %d, test %d; %d folds; fingerprint %s\n",
		m.Images["train"], m.Images["val"], m.Images["test"], m.Records["train"], m.Records["val"], m.Records["test"], sc.Folds, m.Fingerprint[:16])
	return nil
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("export DATASET [--format jsonl|csv]")
	format := fs.String("format", "jsonl", "jsonl or csv")
	pos, err := parsePositional(fs, args, 1, "DATASET")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(e.stdout, 1<<16)
	ex, err := dataset.NewExporter(w, *format)
	if err != nil {
		return usagef("--format %q: want jsonl or csv", *format)
	}
	s, err := dataset.OpenReadOnly(ctx, pos[0])
	if err != nil {
		return err
	}
	defer s.Close()
	err = s.Scan(ctx, ex.Write)
	if err == nil {
		err = ex.Flush()
	}
	if err == nil {
		err = w.Flush()
	}
	c := s.Counts()
	e.log.Info("exported", "records", ex.Count(), "stored", c.Records, "withdrawn_or_unwritten", c.Records-ex.Count(), "dataset", pos[0])
	return err
}

func runMerge(ctx context.Context, e *env, args []string) error {
	fs := e.flags("merge --out OUT [--expect N] IN...")
	out := fs.String("out", "", "new `file` to write (must not exist)")
	expect := fs.Int("expect", 0, "refuse unless the inputs are shards 0 to `N`-1 of N, each once (their shard attribute)")
	ins, err := fs.Parse(args)
	if err != nil {
		return err
	}
	if *out == "" || len(ins) == 0 {
		return usagef("want --out FILE and one or more shard files (datasets or feature stores; patterns such as 'shards/dataset-*.h5' are expanded)")
	}
	ins, err = expandInputs(ins)
	if err != nil {
		return err
	}
	if *expect > 0 {
		if err := checkShards(ctx, ins, *expect); err != nil {
			return err
		}
	}
	merge := dataset.Merge
	if isFeatureStore(ctx, ins[0]) {
		merge = featstore.Merge
	}
	rep, err := merge(ctx, *out, ins)
	if err != nil {
		return err
	}
	fmt.Fprint(e.stdout, rep.String())
	return nil
}

// expandInputs expands the arguments that are glob patterns (as a shell
// would, for containers that run without one); a pattern that matches
// nothing is an error, not an empty merge.
func expandInputs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if !strings.ContainsAny(a, "*?[") {
			out = append(out, a)
			continue
		}
		m, err := filepath.Glob(a)
		if err != nil {
			return nil, usagef("pattern %q: %v", a, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("pattern %q matches no file", a)
		}
		out = append(out, m...)
	}
	return out, nil
}

// checkShards reports whether the files ins are shards 0 to n-1 of n,
// each once, by their shard attribute.
func checkShards(ctx context.Context, ins []string, n int) error {
	have := map[int]string{}
	for _, in := range ins {
		db, err := hdf5store.OpenReadOnly(ctx, in)
		if err != nil {
			return err
		}
		v, _ := db.Attr(dataset.ShardAttr)
		db.Close()
		sh, err := collect.ParseShard(v, func(string) string { return "" })
		if err != nil || sh.Count != n {
			return fmt.Errorf("%s holds shard %q, not one of %d shards", in, v, n)
		}
		if prev, dup := have[sh.Index]; dup {
			return fmt.Errorf("%s and %s both hold shard %s", prev, in, v)
		}
		have[sh.Index] = in
	}
	var missing []string
	for i := 0; i < n; i++ {
		if _, ok := have[i]; !ok {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("shards %s of %d are missing: refusing to merge an incomplete run", strings.Join(missing, ", "), n)
	}
	return nil
}

// isFeatureStore reports whether path opens as a feature store.
func isFeatureStore(ctx context.Context, path string) bool {
	db, err := hdf5store.OpenReadOnly(ctx, path)
	if err != nil {
		return false
	}
	defer db.Close()
	_, ok := db.Attr("extractor_id")
	return ok
}

func runRepair(ctx context.Context, e *env, args []string) error {
	fs := e.flags("repair DAMAGED --out NEW [--json]")
	out := fs.String("out", "", "new `file` to write what can be salvaged into (must not exist)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := parsePositional(fs, args, 1, "FILE")
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("want --out NEW: repair never rewrites the damaged file")
	}
	rep, err := hdf5store.Repair(ctx, pos[0], *out)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(rep)
	}
	fmt.Fprint(e.stdout, rep.String())
	return nil
}

// parsePositional parses flags that may come before or after exactly n
// positional arguments, named in errors by what.
func parsePositional(fs *cli.FlagSet, args []string, n int, what string) ([]string, error) {
	fs.MinArgs = n
	pos, err := fs.Parse(args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		return nil, usagef("want %s, got %d arguments (%s)", what, len(pos), strings.Join(pos, " "))
	}
	return pos, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := e.flags("report DATASET [--png FILE]")
	pngPath := fs.String("png", "", "also draw the summary to this PNG `file`")
	pos, err := parsePositional(fs, args, 1, "DATASET")
	if err != nil {
		return err
	}
	recs, err := dataset.ReadAll(ctx, pos[0])
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return fmt.Errorf("%s holds no records", pos[0])
	}
	s := report.Summarize(recs)
	if err := s.WriteText(e.stdout); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Presets")
	if err := report.WritePresetTable(e.stdout, recs); err != nil {
		return err
	}
	if *pngPath != "" {
		return report.WritePNG(*pngPath, s, recs)
	}
	return nil
}

// readSplit returns the records of a built dataset and its split.
func readSplit(ctx context.Context, path string) ([]dataset.Record, *collect.SplitFile, error) {
	recs, err := dataset.ReadAll(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	sf, err := collect.ReadSplit(path, recs)
	return recs, sf, err
}
