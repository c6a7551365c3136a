//go:build cgo && !purego

package resnet

// testBackends are the BLAS paths of this build: OpenBLAS single-threaded
// under our goroutines, OpenBLAS threaded, and pure Go. They are
// constructors because OpenBLAS's thread count is process-wide: call each
// right before using it.
func testBackends() []func() Backend {
	return []func() Backend{
		func() Backend { return OpenBLAS(1) },
		func() Backend { return OpenBLAS(2) },
		Gonum,
	}
}
