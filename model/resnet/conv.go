package resnet

import "gonum.org/v1/gonum/blas"

// Tiling constants. colBudget bounds one worker's im2col buffer (8 MiB of
// float32); minTileCols is the narrowest column tile worth a GEMM call of
// its own, below which products are split by output channel instead.
const (
	colBudget   = 1 << 21
	minTileCols = 64
)

// runner holds one forward pass's scratch memory and parallelism.
type runner struct {
	blas     BLAS
	threaded bool // the BLAS parallelises each product itself
	workers  int  // goroutines for tiles and element-wise passes
	cols     [][]float32
}

// colBuf returns worker's im2col buffer of n floats. Workers call it
// concurrently, so r.cols must already hold a slot per worker (setWorkers);
// growing it here would race.
func (r *runner) colBuf(worker, n int) []float32 {
	if cap(r.cols[worker]) < n {
		r.cols[worker] = make([]float32, n)
	}
	return r.cols[worker][:n]
}

// setWorkers sizes the per-worker state before any parallel section.
func (r *runner) setWorkers(n int) {
	r.workers = n
	for len(r.cols) < n {
		r.cols = append(r.cols, nil)
	}
}

// conv computes out = beta·out + W∗x, then the epilogue (bias, residual,
// ReLU), writing into dst, which must hold the output.
func (r *runner) conv(l *conv, x act, dst []float32, beta float32, residual []float32, relu bool) act {
	ho, wo := l.outSize(x.h, x.w)
	o := act{l.out, x.n, ho, wo, dst[:l.out*x.n*ho*wo]}
	ncols := o.cols()
	kdim := l.in * l.k * l.k
	w := l.w.Float32s()
	// A 1×1, stride-1 convolution multiplies by the activation itself.
	direct := l.k == 1 && l.stride == 1 && l.pad == 0

	gemm := func(m0, m1, n0, n1 int, b []float32, ldb int) {
		r.blas.Sgemm(blas.NoTrans, blas.NoTrans, m1-m0, n1-n0, kdim, 1,
			w[m0*kdim:], kdim, b, ldb, beta, o.d[m0*ncols+n0:], ncols)
	}
	unfold := func(buf []float32, ld, r0, r1, n0, n1 int) {
		im2col(buf[r0*ld:], ld, x, l.k, l.stride, l.pad, ho, wo, r0, r1, n0, n1)
	}

	if !r.threaded && r.workers > 1 && ncols < minTileCols*r.workers && kdim*ncols <= colBudget*r.workers {
		// Too few columns to share out: unfold once, split by output channel.
		b, ldb := x.d, ncols
		if !direct {
			b = r.colBuf(0, kdim*ncols)
			parallelFor(r.workers, r.workers, func(_, i int) {
				r0, r1 := split(kdim, r.workers, i)
				unfold(b, ncols, r0, r1, 0, ncols)
			})
		}
		parallelFor(r.workers, r.workers, func(_, i int) {
			m0, m1 := split(l.out, r.workers, i)
			gemm(m0, m1, 0, ncols, b, ldb)
			epilogue(o.d, ncols, m0, m1, 0, ncols, l.b, residual, relu)
		})
		return o
	}

	// Column tiles: as many as workers, more if an unfolded tile would
	// exceed the buffer budget.
	tileWorkers := r.workers
	if r.threaded {
		tileWorkers = 1
	}
	tiles := tileWorkers
	if !direct {
		budget := colBudget
		if r.threaded {
			budget *= r.workers
		}
		maxCols := max(budget/kdim, minTileCols)
		tiles = max(tiles, (ncols+maxCols-1)/maxCols)
		tiles = (tiles + tileWorkers - 1) / tileWorkers * tileWorkers
	}
	tiles = min(tiles, max(ncols/minTileCols, 1))

	if !r.threaded {
		parallelFor(r.workers, tiles, func(wk, t int) {
			n0, n1 := split(ncols, tiles, t)
			if direct {
				gemm(0, l.out, n0, n1, x.d[n0:], ncols)
			} else {
				buf := r.colBuf(wk, kdim*(n1-n0))
				unfold(buf, n1-n0, 0, kdim, n0, n1)
				gemm(0, l.out, n0, n1, buf, n1-n0)
			}
			epilogue(o.d, ncols, 0, l.out, n0, n1, l.b, residual, relu)
		})
		return o
	}

	// Threaded BLAS: one product at a time, element-wise passes on our
	// goroutines.
	for t := 0; t < tiles; t++ {
		n0, n1 := split(ncols, tiles, t)
		if direct {
			gemm(0, l.out, n0, n1, x.d[n0:], ncols)
		} else {
			buf := r.colBuf(0, kdim*(n1-n0))
			parallelFor(r.workers, r.workers, func(_, i int) {
				r0, r1 := split(kdim, r.workers, i)
				unfold(buf, n1-n0, r0, r1, n0, n1)
			})
			gemm(0, l.out, n0, n1, buf, n1-n0)
		}
		parallelFor(r.workers, r.workers, func(_, i int) {
			m0, m1 := split(l.out, r.workers, i)
			epilogue(o.d, ncols, m0, m1, n0, n1, l.b, residual, relu)
		})
	}
	return o
}
