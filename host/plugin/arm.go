package plugin

import (
	"crypto/sha256"
	"encoding/binary"
)

// Arm is one side of the A/B comparison between predictive and classic
// optimization.
type Arm string

// The two arms.
const (
	ArmPredictive Arm = "predictive" // ask the predictor first, verify with real conversions
	ArmClassic    Arm = "classic"    // real conversions only
)

// Arm assigns a request to an arm: classic when prediction is off, otherwise
// predictive for an ABShare fraction of keys. The assignment is a function
// of key (for example the image's SHA-256), so repeating a request repeats
// its arm and the comparison is not skewed by retries.
func (f Features) Arm(key string) Arm {
	if !f.Prediction || f.ABShare <= 0 {
		return ArmClassic
	}
	if f.ABShare >= 1 {
		return ArmPredictive
	}
	sum := sha256.Sum256([]byte(key))
	u := float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53) // uniform in [0, 1)
	if u < f.ABShare {
		return ArmPredictive
	}
	return ArmClassic
}
