package abtest

import (
	"strings"
	"testing"

	"github.com/svgai/svgai/host/config"
)

func TestArm(t *testing.T) {
	keys := make([]string, 4000)
	for i := range keys {
		keys[i] = strings.Repeat("k", i%7) + string(rune('a'+i%26)) + strings.Repeat("x", i/26)
	}
	tests := []struct {
		f        config.Features
		min, max float64 // share of predictive arms
	}{
		{config.Features{Prediction: false, ABShare: 1}, 0, 0},
		{config.Features{Prediction: true, ABShare: 0}, 0, 0},
		{config.Features{Prediction: true, ABShare: 1}, 1, 1},
		{config.Features{Prediction: true, ABShare: 0.3}, 0.27, 0.33},
	}
	for _, tt := range tests {
		n := 0
		for _, k := range keys {
			if Assign(tt.f, k) == Predictive {
				n++
			}
			if Assign(tt.f, k) != Assign(tt.f, k) {
				t.Fatalf("arm of %q not stable", k)
			}
		}
		if share := float64(n) / float64(len(keys)); share < tt.min || share > tt.max {
			t.Errorf("%+v: predictive share %.3f, want %.2f to %.2f", tt.f, share, tt.min, tt.max)
		}
	}
}
