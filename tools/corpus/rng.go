package corpus

import (
	"math/bits"
	"math/rand/v2"
)

// rng draws decisions from a PCG stream. Only PCG's raw 64-bit output is
// used, never math/rand's derived helpers, so that the sequence of decisions
// depends on nothing but the PCG algorithm and the seed.
type rng struct{ src *rand.PCG }

func newRNG(seed, stream uint64) rng { return rng{rand.NewPCG(seed, stream)} }

// intn returns a value in [0, n) for n > 0 (Lemire's multiply-shift; the bias
// of at most n/2^64 is irrelevant here).
func (r rng) intn(n int) int {
	hi, _ := bits.Mul64(r.src.Uint64(), uint64(n))
	return int(hi)
}

// between returns a value in [lo, hi].
func (r rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// between64 returns a value in [lo, hi].
func (r rng) between64(lo, hi int64) int64 { return lo + int64(r.intn(int(hi-lo+1))) }

// chance reports true with probability pct/100.
func (r rng) chance(pct int) bool { return r.intn(100) < pct }

// pick returns a uniformly chosen element of xs.
func pick[T any](r rng, xs ...T) T { return xs[r.intn(len(xs))] }

// mix derives a well-spread 64-bit value from parts (SplitMix64's finalizer,
// applied after each part), so that nearby seeds give unrelated streams.
func mix(parts ...uint64) uint64 {
	var h uint64 = 0x9e3779b97f4a7c15
	for _, p := range parts {
		h ^= p
		h += 0x9e3779b97f4a7c15
		h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
		h = (h ^ h>>27) * 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}

// stringKey hashes s (FNV-1a) so that names can feed mix.
func stringKey(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
