//go:build cgo && !purego

package mlp

/*
#cgo LDFLAGS: -lopenblas
*/
import "C"

import "gonum.org/v1/netlib/blas/netlib"

// FastBLAS is OpenBLAS through gonum's netlib cgo binding in cgo builds
// (DESIGN.md measured its SGEMM ~10× gonum's pure Go here), gonum
// otherwise. OpenBLAS
// partitions each product over its threads without splitting the inner
// sums, so results are repeatable for a given machine and thread count.
func FastBLAS() BLAS { return netlib.Implementation{} }

// FastBLASName names what FastBLAS returns.
const FastBLASName = "openblas"
