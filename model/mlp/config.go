package mlp

import (
	"errors"
	"fmt"
)

// Config is the architecture.
type Config struct {
	// Inputs is the feature vector length.
	Inputs int `json:"inputs"`
	// Hidden lists the hidden layer widths, input side first. Empty means
	// a single sigmoid unit over the inputs (logistic regression).
	Hidden []int `json:"hidden"`
	// Dropout is the probability of zeroing a hidden unit during
	// training (inverted dropout; nothing is dropped at inference).
	Dropout float64 `json:"dropout"`
	// Activation is the hidden non-linearity.
	Activation Activation `json:"activation"`
	// BaselineInput, when k > 0, names input column k−1 as a baseline
	// logit: its raw (unstandardised) value is added to the output's
	// pre-activation, so the network learns a correction to a baseline
	// that comes with each row instead of the whole answer. 0: none.
	BaselineInput int `json:"baseline_input,omitempty"`
	// Output is the output unit: Sigmoid (the default, for an SSIM in
	// (0, 1)) or Linear (for an unbounded quantity such as ln(SVG bytes)).
	Output Output `json:"output,omitempty"`
}

// Output is the output unit's function.
type Output string

// Output units.
const (
	Sigmoid Output = ""       // σ(z), in (0, 1)
	Linear  Output = "linear" // z itself
)

// Validate checks the architecture.
func (c Config) Validate() error {
	var errs []error
	if c.Inputs < 1 {
		errs = append(errs, fmt.Errorf("inputs = %d, want ≥ 1", c.Inputs))
	}
	for i, h := range c.Hidden {
		if h < 1 {
			errs = append(errs, fmt.Errorf("hidden[%d] = %d, want ≥ 1", i, h))
		}
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		errs = append(errs, fmt.Errorf("dropout = %g, want 0 ≤ dropout < 1", c.Dropout))
	}
	if c.BaselineInput < 0 || c.BaselineInput > c.Inputs {
		errs = append(errs, fmt.Errorf("baseline_input = %d, want 0 (none) or an input column 1–%d", c.BaselineInput, c.Inputs))
	}
	if err := c.Activation.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Output != Sigmoid && c.Output != Linear {
		errs = append(errs, fmt.Errorf("output = %q, want \"\" (sigmoid) or %q", c.Output, Linear))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("mlp: invalid config: %w", err)
	}
	return nil
}

// widths returns every layer width, inputs first and the output (1) last.
func (c Config) widths() []int {
	w := make([]int, 0, len(c.Hidden)+2)
	w = append(w, c.Inputs)
	w = append(w, c.Hidden...)
	return append(w, 1)
}
