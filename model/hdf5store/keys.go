package hdf5store

import (
	"fmt"
	"hash/maphash"
)

// keyIndex finds a table's rows by key without holding the keys: it maps a
// 128-bit hash of each key (two seeded 64-bit hashes) to the row number,
// about 30 bytes a row. Two keys of one table colliding in 128 bits is
// about as likely as n²/2¹²⁹ (10⁻²⁶ for two million keys); the seeds are
// random per process, so no input can aim for a collision.
type keyIndex struct {
	s1, s2 maphash.Seed
	rows   map[keyHash]int32
}

type keyHash [2]uint64

func newKeyIndex(n int) *keyIndex {
	return &keyIndex{s1: maphash.MakeSeed(), s2: maphash.MakeSeed(), rows: make(map[keyHash]int32, n)}
}

func (x *keyIndex) hash(key string) keyHash {
	return keyHash{maphash.String(x.s1, key), maphash.String(x.s2, key)}
}

func (x *keyIndex) get(key string) (int, bool) {
	i, ok := x.rows[x.hash(key)]
	return int(i), ok
}

// add records row i's key; a key already present is an error.
func (x *keyIndex) add(key string, i int) error {
	h := x.hash(key)
	if j, dup := x.rows[h]; dup {
		return fmt.Errorf("rows %d and %d share key %.80q", j, i, key)
	}
	x.rows[h] = int32(i)
	return nil
}
