package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/svgai/svgai/shared/cli"
	"github.com/svgai/svgai/tools/corpus"
)

// modulePath identifies the repository root when looking for the default
// npm cache.
const modulePath = "github.com/svgai/svgai"

func corpusCommand() command {
	return command{
		name:    "corpus",
		summary: "build image corpora: synth (synthetic logos) or fetch (real icons from npm)",
		run:     runCorpus,
	}
}

const corpusUsage = `Usage:
  svgai-tools corpus synth --out DIR [--seed S] [--count N | --per-category N] [--min-size PX] [--max-size PX]
  svgai-tools corpus fetch --out DIR [--seed S] [--per-package N] [--cache DIR] [--npm PATH]

synth draws deterministic synthetic logos (simple, text, gradient, complex);
fetch takes real emoji, flags and icons from pinned, verified npm packages.
Both write PNGs and DIR/manifest.jsonl, and skip files that are already right.`

func runCorpus(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, args, corpusUsage, map[string]func(context.Context, *env, []string) error{
		"synth": runSynth, "fetch": runFetch,
	})
}

// dispatch runs the subcommand named by args[0] of a command made of
// subcommands; usage describes them.
func dispatch(ctx context.Context, e *env, args []string, usage string, subs map[string]func(context.Context, *env, []string) error) error {
	if len(args) == 0 {
		return usagef("missing subcommand\n%s", usage)
	}
	if run, ok := subs[args[0]]; ok {
		return run(ctx, e, args[1:])
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, usage)
		return cli.ErrHelp
	}
	return usagef("unknown subcommand %q\n%s", args[0], usage)
}

// parse parses args, refusing positional arguments.
func parse(fs *cli.FlagSet, args []string) error {
	pos, err := fs.Parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return nil
}

func runSynth(ctx context.Context, e *env, args []string) error {
	fs := e.flags("corpus synth --out DIR [flags]")
	out := fs.String("out", "", "output `directory` (required)")
	seed := fs.Uint64("seed", 1, "master seed")
	count := fs.Int("count", 0, "total images, spread over the four categories (default: --per-category)")
	per := fs.Int("per-category", 0, fmt.Sprintf("images per category (default %d)", corpus.DefaultPerCategory))
	minSize := fs.Int("min-size", corpus.DefaultMinSize, "smallest width or height in pixels")
	maxSize := fs.Int("max-size", corpus.DefaultMaxSize, "largest width or height in pixels")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	if *per < 0 || *count < 0 {
		return usagef("--count and --per-category must be positive")
	}
	if *per > 0 && *count > 0 {
		return usagef("give --count or --per-category, not both")
	}
	items, err := corpus.Generate(ctx, *out, corpus.Options{
		Seed: *seed, PerCategory: *per, Count: *count, MinSize: *minSize, MaxSize: *maxSize, Logger: e.log,
	})
	if errors.Is(err, corpus.ErrOptions) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d synthetic images in %s\n", len(items), filepath.Join(*out, corpus.ManifestName))
	return nil
}

func runFetch(ctx context.Context, e *env, args []string) error {
	fs := e.flags("corpus fetch --out DIR [flags]")
	out := fs.String("out", "", "output `directory` (required)")
	seed := fs.Uint64("seed", 1, "seed that selects the images")
	per := fs.Int("per-package", corpus.DefaultPerPackage, "images per package")
	cache := fs.String("cache", "", "tarball cache `directory` (default .cache/npm in the repository root)")
	npm := fs.String("npm", "npm", "npm `executable`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	if *per < 1 {
		return usagef("--per-package must be at least 1")
	}
	if *cache == "" {
		root, err := repoRoot()
		if err != nil {
			return usagef("no --cache given and %v", err)
		}
		*cache = filepath.Join(root, ".cache", "npm")
	}
	items, err := corpus.Fetch(ctx, *out, corpus.FetchOptions{
		Seed: *seed, PerPackage: *per, CacheDir: *cache, NPM: *npm, Logger: e.log,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d real images in %s\n", len(items), filepath.Join(*out, corpus.ManifestName))
	return nil
}

// repoRoot returns the nearest directory at or above the working directory
// whose go.mod declares this module.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && declaresModule(data) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the %s repository", modulePath)
		}
		dir = parent
	}
}

func declaresModule(gomod []byte) bool {
	for line := range strings.SplitSeq(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`) == modulePath
		}
	}
	return false
}
