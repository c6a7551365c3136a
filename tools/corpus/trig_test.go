package corpus

import (
	"math"
	"testing"
)

func TestSinTable(t *testing.T) {
	for a := int64(-turn); a <= 2*turn; a += 7 {
		want := math.Sin(2*math.Pi*float64(a)/turn) * trigOne
		if got := float64(sin(a)); math.Abs(got-want) > 1 {
			t.Fatalf("sin(%d) = %v, want %v", a, got, want)
		}
		wantCos := math.Cos(2*math.Pi*float64(a)/turn) * trigOne
		if got := float64(cos(a)); math.Abs(got-wantCos) > 1 {
			t.Fatalf("cos(%d) = %v, want %v", a, got, wantCos)
		}
	}
}

func TestIsqrt(t *testing.T) {
	for _, n := range []int64{-5, 0, 1, 2, 3, 4, 15, 16, 17, 1 << 40, 1<<62 - 1, math.MaxInt64} {
		r := isqrt(n)
		if n <= 0 {
			if r != 0 {
				t.Errorf("isqrt(%d) = %d, want 0", n, r)
			}
			continue
		}
		// r² ≤ n < (r+1)², checked without overflow.
		if r*r > n || (r+1) <= n/(r+1) && (r+1)*(r+1) <= n {
			t.Errorf("isqrt(%d) = %d", n, r)
		}
	}
}

func TestMulRound(t *testing.T) {
	tests := []struct{ a, b, d, want int64 }{
		{3, 1, 2, 2}, {-3, 1, 2, -2}, {1, 1, 3, 0}, {2, 1, 3, 1}, {-2, 1, 3, -1}, {7, 5, 1, 35},
	}
	for _, tc := range tests {
		if got := mulRound(tc.a, tc.b, tc.d); got != tc.want {
			t.Errorf("mulRound(%d, %d, %d) = %d, want %d", tc.a, tc.b, tc.d, got, tc.want)
		}
	}
}
