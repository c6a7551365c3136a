//go:build purego || !cgo

package mlp

// FastBLAS is gonum's pure-Go SGEMM in builds without cgo or with
// -tags purego (OpenBLAS otherwise).
func FastBLAS() BLAS { return DefaultBLAS() }

// FastBLASName names what FastBLAS returns.
const FastBLASName = "gonum"
