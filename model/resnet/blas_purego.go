//go:build purego || !cgo

package resnet

// DefaultBackend is gonum's pure-Go SGEMM in builds without cgo or with
// -tags purego.
func DefaultBackend() Backend { return Gonum() }
