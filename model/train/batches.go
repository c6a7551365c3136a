package train

import "math/rand/v2"

// batches returns one epoch's mini-batches as row indices. By rows: a
// shuffled permutation cut into batchSize pieces. By groups: shuffled
// groups, each kept whole, appended until a batch reaches batchSize.
func batches(rng *rand.Rand, n, batchSize int, members [][]int, byGroup bool) [][]int {
	var out [][]int
	if !byGroup {
		perm := rng.Perm(n)
		for i := 0; i < n; i += batchSize {
			out = append(out, perm[i:min(i+batchSize, n)])
		}
		return out
	}
	var cur []int
	for _, g := range rng.Perm(len(members)) {
		cur = append(cur, members[g]...)
		if len(cur) >= batchSize {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
