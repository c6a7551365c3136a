//go:build purego || !cgo

package resnet

// testBackends is the only BLAS of a pure-Go build.
func testBackends() []func() Backend { return []func() Backend{Gonum} }
