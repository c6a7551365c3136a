package corpus

//go:generate go run gen_sintab.go

// Angles are integers in units of 1/turn of a full circle, and sines are
// fixed point with trigOne = 1.0, so that all geometry is exact integer
// arithmetic and every machine draws the same pixels.
const (
	turn    = 4096
	trigOne = 1 << 30
)

// sin returns sin(2π·a/turn)·trigOne.
func sin(a int64) int64 {
	a %= turn
	if a < 0 {
		a += turn
	}
	switch q := a / (turn / 4); q {
	case 0:
		return sinQuarter[a]
	case 1:
		return sinQuarter[turn/2-a]
	case 2:
		return -sinQuarter[a-turn/2]
	default:
		return -sinQuarter[turn-a]
	}
}

// cos returns cos(2π·a/turn)·trigOne.
func cos(a int64) int64 { return sin(a + turn/4) }

// polar returns the point at distance r (sub-pixel units) and angle a from c.
func polar(c point, r, a int64) point {
	return point{c.x + mulRound(r, cos(a), trigOne), c.y + mulRound(r, sin(a), trigOne)}
}

// mulRound returns round(a·b/d) for d > 0, rounding halves away from zero.
func mulRound(a, b, d int64) int64 {
	p := a * b
	if p >= 0 {
		return (p + d/2) / d
	}
	return -((-p + d/2) / d)
}

// isqrt returns ⌊√n⌋ for n ≥ 0 (0 for negative n).
func isqrt(n int64) int64 {
	if n <= 0 {
		return 0
	}
	var r int64
	bit := int64(1) << 62
	for bit > n {
		bit >>= 2
	}
	for bit != 0 {
		if n >= r+bit {
			n -= r + bit
			r = r>>1 + bit
		} else {
			r >>= 1
		}
		bit >>= 2
	}
	return r
}
