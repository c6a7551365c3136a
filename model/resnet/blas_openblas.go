//go:build cgo && !purego

package resnet

/*
#cgo LDFLAGS: -lopenblas
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
*/
import "C"

import "gonum.org/v1/netlib/blas/netlib"

// OpenBLAS is OpenBLAS through gonum's netlib cgo binding. threads sets
// OpenBLAS's own thread count: 1 leaves parallelism to the network's
// goroutines (no oversubscription), more makes OpenBLAS split each product
// itself. The count is process-wide C state, so the latest call wins for
// every Backend in the process: use one setting per process.
func OpenBLAS(threads int) Backend {
	if threads < 1 {
		threads = 1
	}
	C.openblas_set_num_threads(C.int(threads))
	if threads > 1 {
		return Backend{Name: "openblas-threaded", BLAS: netlib.Implementation{}, Threaded: true}
	}
	return Backend{Name: "openblas", BLAS: netlib.Implementation{}}
}

// OpenBLASThreads reports OpenBLAS's current thread count.
func OpenBLASThreads() int { return int(C.openblas_get_num_threads()) }

// DefaultBackend is OpenBLAS, single-threaded under the network's own
// goroutines (measured faster on 2 cores than OpenBLAS's threads; see
// bench_test.go).
func DefaultBackend() Backend { return OpenBLAS(1) }
