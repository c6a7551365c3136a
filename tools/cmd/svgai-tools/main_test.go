package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/svgai/svgai/shared/cli"
)

func TestCorpusSynth(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-q", "corpus", "synth", "--out", dir, "--seed", "3", "--count", "5", "--max-size", "96"}
	var out, errb bytes.Buffer
	if code := app().Run(context.Background(), args, nil, &out, &errb); code != cli.ExitOK {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), "5 synthetic images") {
		t.Errorf("stdout %q", out.String())
	}
	f, err := os.Open(filepath.Join(dir, "manifest.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := 0
	for sc := bufio.NewScanner(f); sc.Scan(); lines++ {
		var file string
		if i := strings.Index(sc.Text(), `"file":"`); i >= 0 {
			file, _, _ = strings.Cut(sc.Text()[i+8:], `"`)
		}
		if _, err := os.Stat(filepath.Join(dir, file)); file == "" || err != nil {
			t.Errorf("manifest line %q: no image file (%v)", sc.Text(), err)
		}
	}
	if lines != 5 {
		t.Errorf("manifest has %d lines, want 5", lines)
	}
	// A second run with the same seed finds everything in place.
	out.Reset()
	if code := app().Run(context.Background(), args, nil, &out, &errb); code != cli.ExitOK {
		t.Fatalf("rerun: exit %d, stderr %s", code, errb.String())
	}
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{},
		{"nonsense"},
		{"corpus"},
		{"corpus", "bake"},
		{"corpus", "synth"},
		{"corpus", "synth", "--out", "x", "--count", "2", "--per-category", "1"},
		{"corpus", "synth", "--out", "x", "--count", "-1"},
		{"corpus", "synth", "--out", "x", "stray"},
		{"corpus", "synth", "--out", "x", "--min-size", "9", "--max-size", "4"},
		{"corpus", "fetch"},
		{"--log-level", "loud", "corpus"},
		{"train", "--config", "a", "stray"},
	}
	for _, args := range tests {
		var out, errb bytes.Buffer
		if code := app().Run(context.Background(), args, nil, &out, &errb); code != cli.ExitUsage {
			t.Errorf("%q: exit %d, want %d (stderr %s)", args, code, cli.ExitUsage, errb.String())
		}
	}
}

// TestHelp: every command's help is printed on request with exit 0, and
// the one meaning of --config is tools.toml.
func TestHelp(t *testing.T) {
	for _, c := range commands() {
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}} {
			var out, errb bytes.Buffer
			code := app().Run(context.Background(), args, nil, &out, &errb)
			if code != cli.ExitOK || !strings.Contains(out.String(), c.name) {
				t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
			}
			if strings.Contains(out.String(), "--config") && !regexp.MustCompile(`--config file +tools configuration`).MatchString(out.String()) {
				t.Errorf("%q: --config is not tools.toml:\n%s", args, out.String())
			}
		}
	}
	var out, errb bytes.Buffer
	if code := app().Run(context.Background(), []string{"help", "train"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "--training-config") {
		t.Errorf("train help lacks --training-config:\n%s", out.String())
	}
}
