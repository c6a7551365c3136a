package resnet

import (
	"runtime"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BLAS is the one routine the network needs: single-precision GEMM with
// gonum's signature (row-major), which gonum's native implementation and
// gonum.org/v1/netlib's cgo binding both provide.
type BLAS interface {
	Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
}

// Backend is a BLAS and how the network should drive it.
type Backend struct {
	Name string
	BLAS BLAS
	// Threaded means the BLAS spreads one product over the cores itself,
	// so the network issues its products one at a time. Otherwise the
	// network cuts each product into tiles and runs them on its own
	// goroutines, one per core, each calling the BLAS single-threaded.
	Threaded bool
}

// Gonum is gonum's pure-Go SGEMM. It parallelises large products
// internally, and the network also tiles them across goroutines.
func Gonum() Backend {
	return Backend{Name: "gonum", BLAS: gonum.Implementation{}}
}

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
