package quality

import "golang.org/x/sys/cpu"

// The assembly hard-codes a 32-column tile (256-byte rows); this fails to
// compile if tileWidth changes.
const _ = uint(tileWidth-32) + uint(32-tileWidth)

// hconvAVX2, vconvAVX2 and ssimTileAVX2 are hconvGo, vconvGo and ssimTileGo
// four columns at a time (filter_amd64.s), about three times faster. The
// filters use fused multiply-adds, which round once instead of twice; SSIM
// moves by around 1e-15.
//
//go:noescape
func hconvAVX2(dst, twin *tileRow, src *inRow, k *kern)

//go:noescape
func vconvAVX2(dst *tileRow, w *[ssimWin]tileRow, k *kern)

//go:noescape
func ssimTileAVX2(ma, mb, msq, mab *tileRow, c *constants) float64

// bestKernels returns the AVX2 kernels when the CPU has AVX2 and FMA.
func bestKernels() kernels {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		return kernels{h: hconvAVX2, v: vconvAVX2, s: ssimTileAVX2}
	}
	return goKernels()
}
