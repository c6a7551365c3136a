package collect

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
)

func TestParseShard(t *testing.T) {
	env := func(i, n string) func(string) string {
		return func(k string) string {
			return map[string]string{ShardIndexEnv: i, ShardCountEnv: n}[k]
		}
	}
	tests := []struct {
		arg    string
		env    func(string) string
		want   Shard
		errors bool
	}{
		{"", env("", ""), Shard{}, false},
		{"0/1", env("", ""), Shard{0, 1}, false},
		{"2/3", env("", ""), Shard{2, 3}, false},
		{"auto", env("4", "10"), Shard{4, 10}, false},
		{"auto", env("", "10"), Shard{}, true},
		{"auto", env("3", ""), Shard{}, true},
		{"auto", env("10", "10"), Shard{}, true},
		{"3/3", env("", ""), Shard{}, true},
		{"-1/3", env("", ""), Shard{}, true},
		{"1/0", env("", ""), Shard{}, true},
		{"1", env("", ""), Shard{}, true},
		{"a/b", env("", ""), Shard{}, true},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.arg, tt.env)
		if (err != nil) != tt.errors || got != tt.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v (error %v)", tt.arg, got, err, tt.want, tt.errors)
		}
	}
}

// TestShardPartition checks that every image is in exactly one shard of
// a partition, that shards are about even, and that the whole corpus
// (the zero Shard) takes everything.
func TestShardPartition(t *testing.T) {
	const n, images = 7, 7000
	counts := make([]int, n)
	for i := 0; i < images; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprint("image", i)))
		sha := hex.EncodeToString(sum[:])
		in := 0
		for k := 0; k < n; k++ {
			if (Shard{k, n}).Has(sha) {
				in++
				counts[k]++
			}
		}
		if in != 1 || !(Shard{}).Has(sha) {
			t.Fatalf("%s is in %d shards of %d", sha, in, n)
		}
	}
	for k, c := range counts {
		if c < images/n*8/10 || c > images/n*12/10 {
			t.Errorf("shard %d has %d of %d images: uneven", k, c, images)
		}
	}
}

func TestShardPath(t *testing.T) {
	for _, tt := range []struct {
		s    Shard
		want string
	}{{Shard{}, "/data/ds-all.h5"}, {Shard{2, 8}, "/data/ds-2-of-8.h5"}} {
		if got := tt.s.Path("/data/ds-{shard}.h5"); got != tt.want {
			t.Errorf("%v.Path = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// FuzzParseShard: --shard comes from the command line and the environment.
// Whatever the text, ParseShard must not panic, and a shard it accepts is
// a valid part of a partition that prints back as it was read.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"", "0/1", "3/4", "auto", "4/4", "-1/2", "1/0", "a/b", "9999999999999999999/1"} {
		f.Add(s, "2", "5")
	}
	f.Fuzz(func(t *testing.T, s, index, count string) {
		env := map[string]string{ShardIndexEnv: index, ShardCountEnv: count}
		sh, err := ParseShard(s, func(k string) string { return env[k] })
		if err != nil {
			return
		}
		if s == "" {
			if sh != (Shard{}) {
				t.Fatalf("ParseShard(\"\") = %v", sh)
			}
			return
		}
		if sh.Count < 1 || sh.Index < 0 || sh.Index >= sh.Count {
			t.Fatalf("ParseShard(%q) = %v: not a part of a partition", s, sh)
		}
		if back, err := ParseShard(sh.String(), nil); err != nil || back != sh {
			t.Fatalf("%v prints as %q, which reads back as %v, %v", sh, sh.String(), back, err)
		}
	})
}
