package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	hostconfig "github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/model/dataset"
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
	fs := e.flags("collect [--images DIR] [--out DATASET] [flags]")
	images := fs.String("images", "", "corpus `dir` of PNG/JPEG images (default: paths.corpus)")
	out := fs.String("out", "", "dataset `file` to create or resume (default: paths.dataset)")
	perImage := fs.Int("samples-per-image", -1, "quasi-random parameter sets per image, besides the presets (default: collect.samples_per_image)")
	workers := fs.Int("workers", -1, "parallel conversions (default: collect.workers; 0 = one per CPU)")
	seed := fs.Int64("seed", -1, "sampling seed (default: collect.seed)")
	hostCfg := fs.String("host-config", "plugin.toml", "host configuration `file` choosing the VTracer backend (optional)")
	load := toolsConfig(fs)
	if err := parse(fs, args); err != nil {
		return err
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
	dir, path := or(*images, cfg.Paths.Corpus), or(*out, cfg.Paths.Dataset)
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
	defer store.Close()
	col := &collect.Collector{
		Converter: &convert.Converter{Tracer: tr}, Store: store, Sampling: c.Sampling,
		Workers: settings.Workers(c.Workers), MaxPixels: c.MaxPixels, FlushEvery: time.Duration(c.FlushEvery) * time.Second,
		Log: e.log, Progress: e.Progress("collect", 0),
	}
	e.log.Info("collecting", "images", len(srcs), "dataset", path, "workers", col.Workers, "sets_per_image", len(c.Presets)+c.PerImage)
	start := time.Now()
	st, err := col.Run(ctx, srcs)
	secs := time.Since(start).Seconds()
	fmt.Fprintf(e.stdout, "images %d (unreadable %d), conversions %d in %.1fs (%.1f/s), stored %d, already present %d, quarantined %d; dataset %s holds %d records\n",
		st.Images, st.BadImages, st.Converted, secs, float64(st.Converted)/max(secs, 1e-9), st.Added, st.Skipped, st.Quarantined, path, store.Len())
	return err
}

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := e.flags("ingest RESULTS.jsonl|- [--out DATASET]")
	out := fs.String("out", "", "dataset `file` (default: paths.dataset)")
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
	store, err := dataset.Open(ctx, or(*out, cfg.Paths.Dataset))
	if err != nil {
		return err
	}
	defer store.Close()
	// Relative image paths in the results are relative to where svgai ran;
	// the results file's directory is the best guess (for -, this one).
	st, err := collect.Ingest(ctx, f, filepath.Dir(pos[0]), store, cfg.Collect.MaxPixels, e.log)
	fmt.Fprintf(e.stdout, "lines %d: stored %d, already present %d, without parameters %d, quarantined %d\n",
		st.Lines, st.Added, st.Duplicates, st.NoParams, st.Quarantined)
	return err
}

func runValidate(ctx context.Context, e *env, args []string) error {
	fs := e.flags("validate DATASET [--json]")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := parsePositional(fs, args, 1, "DATASET")
	if err != nil {
		return err
	}
	store, err := dataset.Open(ctx, pos[0])
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := store.Revalidate(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(rep)
	}
	fmt.Fprintf(e.stdout, "records %d valid, %d newly quarantined; quarantine holds %d\n", rep.Valid, rep.NewlyQuarantined, rep.Quarantined)
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
	store, err := dataset.Open(ctx, pos[0])
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
	if *format != "jsonl" && *format != "csv" {
		return usagef("--format %q: want jsonl or csv", *format)
	}
	recs, err := readRecords(ctx, pos[0])
	if err != nil {
		return err
	}
	if *format == "csv" {
		return dataset.WriteCSV(e.stdout, recs)
	}
	return dataset.WriteJSONL(e.stdout, recs)
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
	recs, err := readRecords(ctx, pos[0])
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

// readRecords returns the records (quarantined ones left out) of the
// dataset at path, opened read-only.
func readRecords(ctx context.Context, path string) ([]dataset.Record, error) {
	s, err := dataset.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Records()
}

// readSplit returns the records of a built dataset and its split.
func readSplit(ctx context.Context, path string) ([]dataset.Record, *collect.SplitFile, error) {
	recs, err := readRecords(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	sf, err := collect.ReadSplit(path, recs)
	return recs, sf, err
}
