package mlp

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BLAS is the one routine the model needs: row-major single-precision GEMM
// with gonum's signature. gonum's native implementation and
// gonum.org/v1/netlib's OpenBLAS binding both satisfy it.
type BLAS interface {
	Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
}

// DefaultBLAS is gonum's pure-Go SGEMM. It parallelises large products
// over GOMAXPROCS goroutines, and each block of the result is summed by one
// goroutine in a fixed order, so results do not depend on scheduling.
func DefaultBLAS() BLAS { return gonum.Implementation{} }
