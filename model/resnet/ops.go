package resnet

import (
	"math"
	"sync"
	"sync/atomic"
)

// act is an activation in channel-major batch layout: C × N × H × W.
type act struct {
	c, n, h, w int
	d          []float32
}

func (a act) cols() int  { return a.n * a.h * a.w }
func (a act) plane() int { return a.h * a.w }

// parallelFor runs fn(worker, i) for i in [0, n) on up to workers
// goroutines, handing out indices in order.
func parallelFor(workers, n int, fn func(worker, i int)) {
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(w, i)
			}
		}()
	}
	wg.Wait()
}

// split returns the bounds of part i of [0, n) cut into parts pieces.
func split(n, parts, i int) (int, int) {
	return n * i / parts, n * (i + 1) / parts
}

// im2col writes rows [r0, r1) and columns [n0, n1) of the unfolded input
// of a k×k convolution into dst (row r at dst[(r-r0)*ld:]). Row r is input
// channel r/(k·k) at kernel offset (r/k%k, r%k); column j is output pixel
// j of the batch (image, row, column). Out-of-image taps are zero.
func im2col(dst []float32, ld int, x act, k, stride, pad, ho, wo, r0, r1, n0, n1 int) {
	plane := x.plane()
	for r := r0; r < r1; r++ {
		c, ky, kx := r/(k*k), r/k%k, r%k
		d := dst[(r-r0)*ld : (r-r0)*ld+n1-n0]
		img, rem := n0/(ho*wo), n0%(ho*wo)
		oy, ox := rem/wo, rem%wo
		for t := 0; t < len(d); {
			seg := min(wo-ox, len(d)-t)
			iy := oy*stride - pad + ky
			out := d[t : t+seg]
			if iy < 0 || iy >= x.h {
				clear(out)
			} else {
				src := x.d[(c*x.n+img)*plane+iy*x.w:][:x.w]
				ix0 := ox*stride - pad + kx
				if stride == 1 {
					lo, hi := max(0, -ix0), min(seg, x.w-ix0)
					if hi <= lo {
						clear(out)
					} else {
						clear(out[:lo])
						copy(out[lo:hi], src[ix0+lo:ix0+hi])
						clear(out[hi:])
					}
				} else {
					for i := range out {
						ix := ix0 + i*stride
						if ix >= 0 && ix < x.w {
							out[i] = src[ix]
						} else {
							out[i] = 0
						}
					}
				}
			}
			t += seg
			ox = 0
			if oy++; oy == ho {
				oy = 0
				img++
			}
		}
	}
}

// epilogue finishes rows [m0, m1), columns [n0, n1) of a convolution's
// output (row stride ld): adds the folded bias, the residual if any, and
// applies ReLU if asked.
func epilogue(out []float32, ld, m0, m1, n0, n1 int, bias, residual []float32, relu bool) {
	for o := m0; o < m1; o++ {
		row := out[o*ld+n0 : o*ld+n1]
		b := bias[o]
		switch {
		case residual != nil && relu:
			res := residual[o*ld+n0 : o*ld+n1]
			for i, v := range row {
				row[i] = max(v+b+res[i], 0)
			}
		case residual != nil:
			res := residual[o*ld+n0 : o*ld+n1]
			for i, v := range row {
				row[i] = v + b + res[i]
			}
		case relu:
			for i, v := range row {
				row[i] = max(v+b, 0)
			}
		default:
			for i := range row {
				row[i] += b
			}
		}
	}
}

// maxPool is torchvision's stem nn.MaxPool2d(kernel_size=3, stride=2,
// padding=1); padding never wins the max.
func maxPool(dst []float32, x act, workers int) act {
	ho, wo := (x.h+2-3)/2+1, (x.w+2-3)/2+1
	out := act{x.c, x.n, ho, wo, dst[:x.c*x.n*ho*wo]}
	parallelFor(workers, x.c*x.n, func(_, p int) {
		src := x.d[p*x.plane() : (p+1)*x.plane()]
		d := out.d[p*ho*wo : (p+1)*ho*wo]
		for oy := 0; oy < ho; oy++ {
			y0, y1 := max(2*oy-1, 0), min(2*oy+2, x.h)
			for ox := 0; ox < wo; ox++ {
				x0, x1 := max(2*ox-1, 0), min(2*ox+2, x.w)
				m := float32(math.Inf(-1))
				for y := y0; y < y1; y++ {
					for _, v := range src[y*x.w+x0 : y*x.w+x1] {
						m = max(m, v)
					}
				}
				d[oy*wo+ox] = m
			}
		}
	})
	return out
}

// avgPool is nn.AdaptiveAvgPool2d((1, 1)) followed by flatten: it writes
// the N × C feature matrix.
func avgPool(dst []float32, x act, workers int) {
	parallelFor(workers, x.c, func(_, c int) {
		for img := 0; img < x.n; img++ {
			var s float64
			for _, v := range x.d[(c*x.n+img)*x.plane() : (c*x.n+img+1)*x.plane()] {
				s += float64(v)
			}
			dst[img*x.c+c] = float32(s / float64(x.plane()))
		}
	})
}

// toChannelMajor copies an N × C × H × W batch into C × N × H × W.
func toChannelMajor(dst, src []float32, n, c, h, w int) act {
	plane := h * w
	for img := 0; img < n; img++ {
		for ch := 0; ch < c; ch++ {
			copy(dst[(ch*n+img)*plane:(ch*n+img+1)*plane], src[(img*c+ch)*plane:(img*c+ch+1)*plane])
		}
	}
	return act{c, n, h, w, dst[:n*c*plane]}
}
