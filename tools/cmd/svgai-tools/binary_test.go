package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/shared/testbin"
)

// bins holds the commands the end-to-end tests run, built once for the
// whole package (shared/testbin).
var bins testbin.Once

func TestMain(m *testing.M) {
	code := m.Run()
	bins.Cleanup()
	os.Exit(code)
}

// builtCommand is the path of the built command name.
func builtCommand(t *testing.T, name string) string {
	t.Helper()
	dir, err := bins.Dir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// tool runs the built binary in dir with args and returns its stdout; it
// fails the test on a non-zero exit unless fail is set, in which case a
// zero exit fails it.
func tool(t *testing.T, dir string, fail bool, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), builtCommand(t, "svgai-tools"), append([]string{"-log-level", "warn"}, args...)...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if (err != nil) != fail {
		t.Fatalf("svgai-tools %s: %v (want failure: %v)\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, fail, out.String(), errb.String())
	}
	return out.String(), errb.String()
}
