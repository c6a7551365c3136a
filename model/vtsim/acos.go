package vtsim

import "math"

// acos is the arccosine exactly as upstream's WebAssembly build computes
// it (Rust's libm, a port of FDLIBM's e_acos.c; Go's math.Acos differs in
// the last bit). Spline mode decides corners, cuts and handle retraction
// by the sign of tiny angle differences between nearly parallel edges, so
// a last-bit difference changes the curves VTracer writes.
func acos(x float64) float64 {
	// FDLIBM e_acos.c: π/2 split in two, and the rational approximation
	// R(z) of (asin(√z) − √z)/√z³.
	const (
		pio2Hi = 1.57079632679489655800e+00
		pio2Lo = 6.12323399573676603587e-17
		pS0    = 1.66666666666666657415e-01
		pS1    = -3.25565818622400915405e-01
		pS2    = 2.01212532134862925881e-01
		pS3    = -4.00555345006794114027e-02
		pS4    = 7.91534994289814532176e-04
		pS5    = 3.47933107596021167570e-05
		qS1    = -2.40339491173441421878e+00
		qS2    = 2.02094576023350569471e+00
		qS3    = -6.88283971605453293030e-01
		qS4    = 7.70381505559019352791e-02
	)
	r := func(z float64) float64 {
		p := z * (pS0 + z*(pS1+z*(pS2+z*(pS3+z*(pS4+z*pS5)))))
		q := 1 + z*(qS1+z*(qS2+z*(qS3+z*qS4)))
		return p / q
	}
	bits := math.Float64bits(x)
	hx := uint32(bits >> 32)
	ix := hx & 0x7fffffff
	switch {
	case ix >= 0x3ff00000: // |x| ≥ 1, or NaN
		if ix-0x3ff00000|uint32(bits) == 0 {
			if hx>>31 != 0 {
				return 2 * pio2Hi
			}
			return 0
		}
		return math.NaN()
	case ix < 0x3fe00000: // |x| < 0.5
		if ix <= 0x3c600000 {
			return pio2Hi
		}
		return pio2Hi - (x - (pio2Lo - x*r(x*x)))
	case hx>>31 != 0: // x < −0.5
		z := (1 + x) * 0.5
		s := math.Sqrt(z)
		w := r(z)*s - pio2Lo
		return 2 * (pio2Hi - (s + w))
	}
	z := (1 - x) * 0.5
	s := math.Sqrt(z)
	df := math.Float64frombits(math.Float64bits(s) &^ 0xffffffff)
	c := (z - df*df) / (s + df)
	w := r(z)*s + c
	return 2 * (df + w)
}
