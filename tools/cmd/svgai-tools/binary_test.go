package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// toolBinary is the svgai-tools executable the end-to-end tests run, built once
// for the whole package by TestMain; "" when the build failed (the tests
// that need it then fail with buildErr).
var toolBinary, buildErr = "", error(nil)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "svgai-tools-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	exe := filepath.Join(dir, "svgai-tools")
	out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput()
	if err != nil {
		buildErr = fmt.Errorf("go build: %v\n%s", err, out)
	} else {
		toolBinary = exe
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// tool runs the built binary in dir with args and returns its stdout; it
// fails the test on a non-zero exit unless fail is set, in which case a
// zero exit fails it.
func tool(t *testing.T, dir string, fail bool, args ...string) (stdout, stderr string) {
	t.Helper()
	if toolBinary == "" {
		t.Fatal(buildErr)
	}
	cmd := exec.CommandContext(context.Background(), toolBinary, append([]string{"-log-level", "warn"}, args...)...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if (err != nil) != fail {
		t.Fatalf("svgai-tools %s: %v (want failure: %v)\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, fail, out.String(), errb.String())
	}
	return out.String(), errb.String()
}
