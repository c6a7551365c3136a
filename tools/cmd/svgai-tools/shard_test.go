package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/model/hdf5store"
	"github.com/svgai/svgai/tools/collect"
)

// TestShardKillMerge is issue 15's cluster, simulated on local directories
// with the real binary: three shard processes collect one corpus, one is
// SIGKILLed mid-way and restarted, the shards are merged, and the merged
// dataset must hold exactly the records a single-machine run of the same
// inputs holds (same keys and scores; times differ).
func TestShardKillMerge(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus")
	tool(t, dir, false, "corpus", "synth", "--out", corpus, "--seed", "5", "--count", "12", "--min-size", "160", "--max-size", "224")
	collectArgs := func(out string, extra ...string) []string {
		return append([]string{"collect", "--images", corpus, "--out", out, "--samples-per-image", "2", "--flush-every", "50ms"}, extra...)
	}

	single := filepath.Join(dir, "single.h5")
	singleRun := exec.Command(builtCommand(t, "svgai-tools"), append([]string{"-log-level", "warn"}, collectArgs(single, "--workers", "1")...)...)
	singleRun.Dir = dir
	if err := singleRun.Start(); err != nil {
		t.Fatal(err)
	}
	var shards []string
	var procs []*exec.Cmd
	for i := 0; i < 3; i++ {
		out := filepath.Join(dir, "shard"+string(rune('0'+i))+".h5")
		shards = append(shards, out)
		cmd := exec.Command(builtCommand(t, "svgai-tools"), append([]string{"-log-level", "warn"}, collectArgs(out, "--workers", "1", "--shard", "auto")...)...)
		cmd.Dir = dir
		// As a Kubernetes Indexed Job passes them.
		cmd.Env = append(cmd.Environ(), "JOB_COMPLETION_INDEX="+string(rune('0'+i)), "SVGAI_SHARD_COUNT=3")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	// Kill the shard with the most images (the longest run) once it has
	// committed something.
	victim := largestShard(t, corpus, 3)
	killed := 0
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if killed = recordsOn(shards[victim]); killed > 0 {
			procs[victim].Process.Signal(syscall.SIGKILL)
			break
		}
	}
	err := procs[victim].Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("shard %d was not killed mid-way (%d records seen): %v", victim, killed, err)
	}
	for i, p := range procs {
		if i != victim {
			if err := p.Wait(); err != nil {
				t.Fatalf("shard %d: %v", i, err)
			}
		}
	}
	if err := singleRun.Wait(); err != nil {
		t.Fatalf("single run: %v", err)
	}
	atKill := recordsOn(shards[victim])
	out, _ := tool(t, dir, false, collectArgs(shards[victim], "--shard", fmt.Sprintf("%d/3", victim))...)
	t.Logf("shard %d killed with %d records on disk; restart: %s", victim, atKill, strings.TrimSpace(out))

	merged := filepath.Join(dir, "merged.h5")
	_, stderr := tool(t, dir, true, "merge", "--out", merged, "--expect", "3", shards[2], shards[0])
	if !strings.Contains(stderr, "shards 1 of 3 are missing") {
		t.Errorf("merging 2 of 3 shards: %s", stderr)
	}
	out, _ = tool(t, dir, false, "merge", "--out", merged, "--expect", "3", filepath.Join(dir, "shard*.h5"))
	t.Logf("merge:\n%s", out)

	want, got := readAll(t, single), readAll(t, merged)
	if len(got) == 0 || len(got) != len(want) || dataset.Fingerprint(got) != dataset.Fingerprint(want) {
		t.Fatalf("merged dataset: %d records, fingerprint %s; single machine: %d, %s",
			len(got), dataset.Fingerprint(got)[:12], len(want), dataset.Fingerprint(want)[:12])
	}
	seen := map[dataset.Key]bool{}
	for i := range got {
		if seen[got[i].Key()] {
			t.Fatalf("record %v twice", got[i].Key())
		}
		seen[got[i].Key()] = true
	}
	db, err := hdf5store.OpenReadOnly(context.Background(), merged)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ins []hdf5store.MergeInput
	v, _ := db.Attr("merged_from")
	if err := json.Unmarshal([]byte(v), &ins); err != nil || len(ins) != 3 {
		t.Fatalf("merged_from %s: %v", v, err)
	}
	var marks []string
	for _, in := range ins {
		marks = append(marks, in.Attrs["shard"])
	}
	if !slices.Equal(marks, []string{"0/3", "1/3", "2/3"}) {
		t.Errorf("merged_from records shards %v", marks)
	}
	// The merged file is an ordinary dataset: build splits it.
	tool(t, dir, false, "build", merged)
	// A shard file refuses another shard's run.
	_, stderr = tool(t, dir, true, collectArgs(shards[0], "--shard", "2/3")...)
	if !strings.Contains(stderr, "shard 0/3") {
		t.Errorf("collecting shard 2/3 into shard 0/3's file: %s", stderr)
	}
}

// largestShard returns the shard of n with the most images of dir.
func largestShard(t *testing.T, dir string, n int) int {
	t.Helper()
	srcs, err := collect.Sources(dir)
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int, n)
	for _, s := range srcs {
		b, err := os.ReadFile(s.Path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		for i := range counts {
			if (collect.Shard{Index: i, Count: n}).Has(hex.EncodeToString(sum[:])) {
				counts[i]++
			}
		}
	}
	return slices.Index(counts, slices.Max(counts))
}

// recordsOn is how many records a reader sees in the dataset at path, 0 if
// it cannot open it (yet).
func recordsOn(path string) int {
	s, err := dataset.OpenReadOnly(context.Background(), path)
	if err != nil {
		return 0
	}
	defer s.Close()
	return s.Len()
}

func readAll(t *testing.T, path string) []dataset.Record {
	t.Helper()
	recs, err := dataset.ReadAll(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
