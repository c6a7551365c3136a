//go:build !amd64

package quality

func bestKernels() kernels { return goKernels() }
