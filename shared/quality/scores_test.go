package quality

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestScoresJSON(t *testing.T) {
	tests := []struct {
		s    Scores
		json string
	}{
		{Scores{SSIM: 0.95, MSE: 12.5, PSNR: 37.16}, `{"ssim":0.95,"mse":12.5,"psnr":37.16}`},
		{Scores{SSIM: 1, MSE: 0, PSNR: math.Inf(1)}, `{"ssim":1,"mse":0,"psnr":null,"identical":true}`},
		{Scores{SSIM: -0.25, MSE: 65025, PSNR: 0}, `{"ssim":-0.25,"mse":65025,"psnr":0}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.s)
		if err != nil || string(b) != tt.json {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", tt.s, b, err, tt.json)
		}
		var back Scores
		if err := json.Unmarshal([]byte(tt.json), &back); err != nil || back != tt.s {
			t.Errorf("Unmarshal(%s) = %+v, %v; want %+v", tt.json, back, err, tt.s)
		}
	}
}

func TestScoresJSONErrors(t *testing.T) {
	for _, s := range []Scores{
		{SSIM: math.NaN(), PSNR: 1},
		{MSE: math.Inf(1), PSNR: 1},
		{PSNR: math.Inf(-1)},
	} {
		if b, err := json.Marshal(s); err == nil {
			t.Errorf("Marshal(%+v) = %s, want an error", s, b)
		}
	}
	for _, in := range []string{
		`{"ssim":1,"mse":0}`,
		`{"ssim":1,"mse":0,"psnr":null}`,
		`{"ssim":1,"mse":0,"psnr":40,"identical":true}`,
		`{"ssim":"high","mse":0,"psnr":1}`,
		`[1,2,3]`,
	} {
		var s Scores
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, want an error", in, s)
		}
	}
}

// FuzzScoresJSON checks that whatever UnmarshalJSON accepts survives a
// round trip. Seeds are the golden cases' scores.
func FuzzScoresJSON(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden.json"))
	if err != nil {
		f.Fatal(err)
	}
	var golden struct{ Cases []json.RawMessage }
	if err := json.Unmarshal(data, &golden); err != nil {
		f.Fatal(err)
	}
	for _, c := range golden.Cases {
		f.Add([]byte(c))
	}
	f.Add([]byte(`{"ssim":1,"mse":0,"psnr":null,"identical":true}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var s Scores
		if err := json.Unmarshal(in, &s); err != nil {
			return
		}
		out, err := json.Marshal(s)
		if err != nil {
			return // e.g. an MSE of 1e999 decodes as +Inf
		}
		var back Scores
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s: re-decoding %s: %v", in, out, err)
		}
		if back != s && !(math.IsNaN(s.SSIM) && math.IsNaN(back.SSIM)) {
			t.Fatalf("%s: round trip %+v → %s → %+v", in, s, out, back)
		}
	})
}
