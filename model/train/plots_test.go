package train

import (
	"slices"
	"testing"
)

func TestLogTicks(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (logTicks{}).Ticks(lo, hi) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	for _, tt := range []struct {
		lo, hi float64
		want   []string
	}{
		{0.00022, 0.0055, []string{"0.0005", "0.001", "0.002", "0.005"}},
		{0.8, 120, []string{"1", "2", "5", "10", "20", "50", "100"}},
		{0.00013, 0.00019, []string{"0.00013", "0.00016", "0.00019"}}, // no whole multiple inside: the default ticks
		{0.0003, 0.00045, []string{"0.0003", "0.0004"}},
	} {
		if got := labels(tt.lo, tt.hi); !slices.Equal(got, tt.want) {
			t.Errorf("[%g, %g]: labels %q, want %q", tt.lo, tt.hi, got, tt.want)
		}
	}
}
