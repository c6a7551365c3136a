package quality

import (
	"encoding/json"
	"fmt"
	"math"
)

// Scores are the quality metrics of one rendering against its reference.
type Scores struct {
	SSIM float64 // mean structural similarity, at most 1
	MSE  float64 // mean squared error over RGB, 0–255 units
	PSNR float64 // dB; +Inf when MSE is 0
}

// scoresJSON is the wire form. JSON has no infinity, so identical images
// carry "psnr": null and "identical": true.
type scoresJSON struct {
	SSIM      float64  `json:"ssim"`
	MSE       float64  `json:"mse"`
	PSNR      *float64 `json:"psnr"`
	Identical bool     `json:"identical,omitempty"`
}

// MarshalJSON writes {"ssim":…,"mse":…,"psnr":…}, with "psnr":null and
// "identical":true when PSNR is infinite.
func (s Scores) MarshalJSON() ([]byte, error) {
	for _, v := range []float64{s.SSIM, s.MSE, s.PSNR} {
		if math.IsNaN(v) || math.IsInf(v, -1) {
			return nil, fmt.Errorf("quality: cannot encode scores %+v", s)
		}
	}
	w := scoresJSON{SSIM: s.SSIM, MSE: s.MSE}
	if math.IsInf(s.PSNR, 1) {
		w.Identical = true
	} else {
		if math.IsInf(s.SSIM, 0) || math.IsInf(s.MSE, 0) {
			return nil, fmt.Errorf("quality: cannot encode scores %+v", s)
		}
		w.PSNR = &s.PSNR
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads what MarshalJSON writes. A null PSNR means +Inf and is
// accepted only with "identical": true.
func (s *Scores) UnmarshalJSON(data []byte) error {
	var w scoresJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("quality: decode scores: %w", err)
	}
	switch {
	case w.PSNR != nil && w.Identical:
		return fmt.Errorf("quality: decode scores: psnr %g given for identical images", *w.PSNR)
	case w.PSNR == nil && !w.Identical:
		return fmt.Errorf("quality: decode scores: psnr missing")
	}
	*s = Scores{SSIM: w.SSIM, MSE: w.MSE, PSNR: math.Inf(1)}
	if w.PSNR != nil {
		s.PSNR = *w.PSNR
	}
	return nil
}
