package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/svgai/svgai/shared/cli"
)

// task is one image of a run: where it comes from and where its SVG goes.
type task struct {
	in  string // file, or "-" for standard input
	out string // file, or "-" for standard output
	rel string // out relative to the output folder; "" for a single output
}

// plan is a run's tasks and, when the SVGs go to a folder, that folder.
type plan struct {
	tasks []task
	dir   string
}

// imageExts are the file names a folder search picks up.
var imageExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true}

// source is one image found among the inputs, with the path its output
// takes under the output folder.
type source struct{ path, rel string }

// makePlan expands the inputs (files; folders, searched recursively for
// images; globs svgai expands itself when the shell did not; - for
// standard input) and maps each to its output: out itself when there is
// one image and out is not a folder, else out/REL.svg, where REL is the
// image's path below the folder it was found in (or its name), so the
// output tree mirrors the input tree.
func makePlan(inputs []string, out string) (plan, error) {
	if out == "" {
		return plan{}, cli.Usagef("-o is required: -o FILE.svg, -o DIR/ or -o - (standard output)")
	}
	var srcs []source
	folder := strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator))
	for _, in := range inputs {
		found, isDir, err := expand(in)
		if err != nil {
			return plan{}, err
		}
		folder = folder || isDir
		srcs = append(srcs, found...)
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		folder = true
	}
	folder = folder || len(srcs) > 1
	if len(srcs) == 0 {
		return plan{}, cli.Usagef("no images among %s", strings.Join(inputs, " "))
	}
	if !folder {
		return plan{tasks: []task{{in: srcs[0].path, out: out}}}, nil
	}
	switch {
	case out == cli.Stdio:
		return plan{}, cli.Usagef("%d images cannot all go to standard output: use -o DIR/", len(srcs))
	case hasStdin(srcs):
		return plan{}, cli.Usagef("standard input (-) is one image: use it alone, with -o FILE.svg or -o -")
	}
	if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		return plan{}, cli.Usagef("-o %s is a file, but %d images need a folder", out, len(srcs))
	}
	p := plan{dir: filepath.Clean(out)}
	from := map[string]string{}
	for _, s := range srcs {
		rel := strings.TrimSuffix(s.rel, filepath.Ext(s.rel)) + ".svg"
		if prev, ok := from[rel]; ok {
			return plan{}, cli.Usagef("%s and %s would both be written to %s", prev, s.path, filepath.Join(p.dir, rel))
		}
		from[rel] = s.path
		p.tasks = append(p.tasks, task{in: s.path, out: filepath.Join(p.dir, rel), rel: rel})
	}
	return p, nil
}

// expand returns the images one input names and whether it is a folder.
// A name that is neither a file, a folder nor a matching glob is returned
// as it is: reading it fails on its own line, and the others go on.
func expand(in string) ([]source, bool, error) {
	if in == cli.Stdio {
		return []source{{path: in, rel: "stdin"}}, false, nil
	}
	fi, err := os.Stat(in)
	switch {
	case err == nil && fi.IsDir():
		found, err := walk(in)
		return found, true, err
	case err == nil:
		return []source{{path: in, rel: filepath.Base(in)}}, false, nil
	case strings.ContainsAny(in, "*?["):
		matches, gerr := filepath.Glob(in)
		if gerr != nil {
			return nil, false, cli.Usagef("bad glob %q: %v", in, gerr)
		}
		var out []source
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && !fi.IsDir() {
				out = append(out, source{path: m, rel: filepath.Base(m)})
			}
		}
		if len(out) > 0 {
			return out, false, nil
		}
	}
	return []source{{path: in, rel: filepath.Base(in)}}, false, nil
}

// walk lists the images below dir in lexical order, skipping hidden files
// and folders.
func walk(dir string) ([]source, error) {
	var out []source
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		hidden := strings.HasPrefix(d.Name(), ".") && path != dir
		switch {
		case d.IsDir() && hidden:
			return filepath.SkipDir
		case d.IsDir(), hidden, !imageExts[strings.ToLower(filepath.Ext(path))]:
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		out = append(out, source{path: path, rel: rel})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", dir, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

func hasStdin(srcs []source) bool {
	for _, s := range srcs {
		if s.path == cli.Stdio {
			return true
		}
	}
	return false
}
