package collect

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Environment variables that --shard auto reads. A Kubernetes Indexed Job
// sets JOB_COMPLETION_INDEX in every pod; the count is the Job's
// spec.completions, which the pod template passes as ShardCountEnv
// (deploy/base/*-job.yaml).
const (
	ShardIndexEnv = "JOB_COMPLETION_INDEX"
	ShardCountEnv = "SVGAI_SHARD_COUNT"
)

// Shard is one part of a partition of the images by SHA-256: image h
// belongs to shard (first 8 bytes of h, big-endian) mod Count. Every
// machine computes the same partition from the images alone, with no
// coordination. The zero value (Count 0) is the whole corpus.
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/n" (0 ≤ i < n), "auto" (from ShardIndexEnv and
// ShardCountEnv, via getenv) or "" (no sharding).
func ParseShard(s string, getenv func(string) string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	if s == "auto" {
		i, n := getenv(ShardIndexEnv), getenv(ShardCountEnv)
		if i == "" || n == "" {
			return Shard{}, fmt.Errorf("--shard auto: %s=%q and %s=%q, want both set (a Kubernetes Indexed Job sets the first; pass spec.completions as the second)",
				ShardIndexEnv, i, ShardCountEnv, n)
		}
		s = i + "/" + n
	}
	is, ns, ok := strings.Cut(s, "/")
	i, ierr := strconv.Atoi(is)
	n, nerr := strconv.Atoi(ns)
	if !ok || ierr != nil || nerr != nil || n < 1 || n > 1<<20 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard %q: want i/n with 0 ≤ i < n ≤ %d, or auto", s, 1<<20)
	}
	return Shard{Index: i, Count: n}, nil
}

// ShardFromEnv is ParseShard with the process's environment.
func ShardFromEnv(s string) (Shard, error) { return ParseShard(s, os.Getenv) }

// Has reports whether the image with this hex SHA-256 is in the shard.
func (s Shard) Has(imageSHA256 string) bool {
	if s.Count <= 1 {
		return true
	}
	b, err := hex.DecodeString(imageSHA256)
	if err != nil || len(b) < 8 {
		return s.Index == 0 // not a hash: only the first shard takes it
	}
	return binary.BigEndian.Uint64(b)%uint64(s.Count) == uint64(s.Index)
}

// String is "i/n", or "all".
func (s Shard) String() string {
	if s.Count == 0 {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Path returns p with "{shard}" replaced by the shard, as "i-of-n" ("all"
// for the whole corpus): one command line, as a Kubernetes Indexed Job's
// pods share, names each shard's own file.
func (s Shard) Path(p string) string {
	name := "all"
	if s.Count > 0 {
		name = fmt.Sprintf("%d-of-%d", s.Index, s.Count)
	}
	return strings.ReplaceAll(p, "{shard}", name)
}
