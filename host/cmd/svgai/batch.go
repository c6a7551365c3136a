package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/cli"
)

// maxImageBytes bounds an image file read whole (the pixel limit is
// checked later, from the header): 256 MiB.
const maxImageBytes = 256 << 20

// result is what the work on one image made.
type result struct {
	svg    []byte
	report any    // the JSON object --json prints
	line   string // the line printed otherwise
	ssim   float64
	// optimize only
	optimize    bool
	met, plugin bool
	conversions int
}

// runner runs one command's work over the tasks of a plan with a pool of
// workers, and reports each image, the progress and a summary.
type runner struct {
	env     *cli.Env
	plan    plan
	workers int
	force   bool // redo outputs that are up to date
	asJSON  bool
	limits  config.Input // [input]: what an image may cost
	// recipe identifies everything besides the input that the output
	// depends on; an output made by another recipe is not up to date.
	recipe string
	work   func(ctx context.Context, in *convert.Input, out string) (result, error)
	// onProgress, when set, receives the progress of a single image (the
	// work's own steps), to report them.
	onProgress func(*cli.Progress)

	mu   sync.Mutex // guards the output streams and sum
	prog *cli.Progress
	sum  summary
}

// run works through the tasks and returns nil, the error of a single
// failed image, or cli.Failed() when some of several failed (each has been
// reported on its own line).
func (r *runner) run(ctx context.Context) error {
	var man *manifest
	if r.plan.dir != "" {
		var err error
		if man, err = openManifest(r.plan.dir); err != nil {
			return err
		}
		defer man.Close()
	}
	n := len(r.plan.tasks)
	workers := max(1, min(r.workers, n))
	r.sum = summary{label: r.env.Command(), images: n, workers: workers, start: time.Now(), minSSIM: 2}
	label := r.env.Command()
	if n == 1 {
		label += " " + name(r.plan.tasks[0].in)
	}
	r.prog = r.env.Progress(label, n)
	if n == 1 {
		stop := ticker(r.prog)
		defer stop()
		if r.onProgress != nil {
			r.onProgress(r.prog)
		}
	}
	tasks := make(chan task)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for t := range tasks {
				r.one(ctx, t, man)
			}
		})
	}
dispatch:
	for _, t := range r.plan.tasks {
		select {
		case tasks <- t:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(tasks)
	wg.Wait()
	r.prog.Done()
	r.sum.elapsed = time.Since(r.sum.start)
	if n > 1 && !r.env.Quiet() {
		r.sum.write(r.env.Stderr)
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted after %d of %d images: %w", r.sum.done(), n, ctx.Err())
	case n == 1 && r.sum.lastErr != nil:
		return r.sum.lastErr
	case r.sum.failed > 0:
		return cli.Failed()
	}
	return nil
}

// one does one task: skip it when up to date, else read, work, write.
func (r *runner) one(ctx context.Context, t task, man *manifest) {
	defer r.prog.Step()
	data, err := r.env.ReadFile(t.in, maxImageBytes)
	if err != nil {
		r.fail(t, err)
		return
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	if man != nil && !r.force && man.upToDate(t.rel, sha, r.recipe) {
		r.mu.Lock()
		r.sum.skipped++
		r.mu.Unlock()
		return
	}
	in, err := convert.LoadWithin(data, r.limits)
	if err != nil {
		r.fail(t, fmt.Errorf("%s: %w", name(t.in), err))
		return
	}
	in.Path = t.in
	if t.in == cli.Stdio {
		in.Path = ""
	}
	res, err := r.work(ctx, in, t.out)
	if err != nil {
		r.fail(t, fmt.Errorf("%s: %w", name(t.in), err))
		return
	}
	if t.rel != "" { // in the output folder: mirror the input's folders
		if err := os.MkdirAll(filepath.Dir(t.out), 0o755); err != nil {
			r.fail(t, err)
			return
		}
	}
	if err := r.env.WriteFile(t.out, res.svg); err != nil {
		r.fail(t, err)
		return
	}
	if man != nil {
		if err := man.record(made{Out: t.rel, SHA256: sha, Recipe: r.recipe, Bytes: len(res.svg)}); err != nil {
			r.fail(t, err)
			return
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sum.add(t.in, res)
	r.print(t, res)
}

// print reports one image: its JSON object, or its line (on standard error
// when the SVG itself went to standard output).
func (r *runner) print(t task, res result) {
	r.prog.Clear()
	if r.asJSON {
		enc := json.NewEncoder(r.env.Stdout)
		enc.SetEscapeHTML(false) // paths may hold & < >
		enc.Encode(res.report)
		return
	}
	w := r.env.Stdout
	if t.out == cli.Stdio {
		if r.env.Quiet() {
			return
		}
		w = r.env.Stderr
	}
	fmt.Fprintln(w, res.line)
}

// fail reports one image's failure on its own line (and as a JSON object
// with --json) and counts it.
func (r *runner) fail(t task, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sum.failed++
	r.sum.lastErr = err
	if len(r.plan.tasks) == 1 {
		return // run returns it
	}
	r.prog.Clear()
	fmt.Fprintf(r.env.Stderr, "svgai %s: %v\n", r.env.Command(), err)
	if r.asJSON {
		enc := json.NewEncoder(r.env.Stdout)
		enc.SetEscapeHTML(false)
		enc.Encode(struct {
			Input string `json:"input"`
			Error string `json:"error"`
		}{t.in, err.Error()})
	}
}

// loadImage reads and decodes one image file, or standard input for "-"
// (then in.Path is empty). Errors name the file.
func loadImage(e *cli.Env, file string, lim config.Input) (*convert.Input, error) {
	data, err := e.ReadFile(file, maxImageBytes)
	if err != nil {
		return nil, err
	}
	in, err := convert.LoadWithin(data, lim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name(file), err)
	}
	in.Path = outputName(file)
	return in, nil
}

// ticker moves a single image's progress (its elapsed time) until stopped.
func ticker(p *cli.Progress) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.Tick()
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// name is how messages name an input.
func name(in string) string {
	if in == cli.Stdio {
		return "standard input"
	}
	return in
}
