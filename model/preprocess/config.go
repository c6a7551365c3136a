package preprocess

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/BurntSushi/toml"
)

// Aspect says how a non-square image becomes a square.
type Aspect string

// The aspect modes.
const (
	// Letterbox scales the longer side to Size and pads the shorter one
	// with white, centred: nothing is cut off or distorted (the default,
	// since a logo's edges matter to a vectorizer).
	Letterbox Aspect = "letterbox"
	// Crop scales the shorter side to Size and cuts the centre square out
	// (torchvision's Resize(Size) + CenterCrop(Size)).
	Crop Aspect = "crop"
	// Stretch scales each side to Size independently.
	Stretch Aspect = "stretch"
)

// ImageNet's per-channel statistics (torchvision's models' documented
// transforms).
var (
	ImageNetMean = [3]float32{0.485, 0.456, 0.406}
	ImageNetStd  = [3]float32{0.229, 0.224, 0.225}
)

// Config is the preprocessing, as it appears in TOML:
//
//	size = 224
//	aspect = "letterbox"
//	mean = [0.485, 0.456, 0.406]
//	std = [0.229, 0.224, 0.225]
//	[augment]
//	flip = 0.5
//	rotate_degrees = 5.0
//	scale = 0.05
//	translate = 0.03
//	brightness = 0.1
//	contrast = 0.1
//	saturation = 0.1
type Config struct {
	// Size is the output side in pixels (224 for ImageNet models).
	Size int `toml:"size" json:"size"`
	// Aspect is letterbox (default), crop or stretch.
	Aspect Aspect `toml:"aspect" json:"aspect"`
	// Mean and Std normalise each channel after scaling to [0, 1].
	Mean [3]float32 `toml:"mean" json:"mean"`
	Std  [3]float32 `toml:"std" json:"std"`
	// Augment is used only by Preprocessor.Augmented.
	Augment Augment `toml:"augment" json:"augment"`
}

// Augment configures random augmentation. Zero values turn each
// transformation off.
type Augment struct {
	// Flip is the probability of a horizontal mirror.
	Flip float64 `toml:"flip" json:"flip"`
	// RotateDegrees: rotation uniform in ±RotateDegrees.
	RotateDegrees float64 `toml:"rotate_degrees" json:"rotate_degrees"`
	// Scale: zoom factor uniform in [1−Scale, 1+Scale].
	Scale float64 `toml:"scale" json:"scale"`
	// Translate: shift uniform in ±Translate·Size on each axis.
	Translate float64 `toml:"translate" json:"translate"`
	// Brightness, Contrast, Saturation: factors uniform in [1−x, 1+x],
	// as torchvision's ColorJitter.
	Brightness float64 `toml:"brightness" json:"brightness"`
	Contrast   float64 `toml:"contrast" json:"contrast"`
	Saturation float64 `toml:"saturation" json:"saturation"`
}

// Default is 224 × 224, letterboxed, ImageNet statistics, no augmentation.
func Default() Config {
	return Config{Size: 224, Aspect: Letterbox, Mean: ImageNetMean, Std: ImageNetStd}
}

// DefaultAugment is a mild augmentation for logos: mirror half the time,
// ±5°, ±5 % zoom, ±3 % shift, ±10 % brightness, contrast and saturation.
func DefaultAugment() Augment {
	return Augment{Flip: 0.5, RotateDegrees: 5, Scale: 0.05, Translate: 0.03, Brightness: 0.1, Contrast: 0.1, Saturation: 0.1}
}

// Validate reports the first unusable setting, naming it.
func (c Config) Validate() error {
	if c.Size < 1 || c.Size > 4096 {
		return fmt.Errorf("preprocess: size %d outside 1–4096", c.Size)
	}
	switch c.Aspect {
	case Letterbox, Crop, Stretch:
	default:
		return fmt.Errorf("preprocess: aspect %q is not letterbox, crop or stretch", c.Aspect)
	}
	for i := range 3 {
		if !finite(float64(c.Mean[i])) {
			return fmt.Errorf("preprocess: mean[%d] = %v is not finite", i, c.Mean[i])
		}
		if !(c.Std[i] > 0) || !finite(float64(c.Std[i])) {
			return fmt.Errorf("preprocess: std[%d] = %v must be positive", i, c.Std[i])
		}
	}
	a := c.Augment
	for _, r := range []struct {
		name    string
		v, upto float64
	}{
		{"augment.flip", a.Flip, 1},
		{"augment.rotate_degrees", a.RotateDegrees, 180},
		{"augment.scale", a.Scale, 0.9},
		{"augment.translate", a.Translate, 0.5},
		{"augment.brightness", a.Brightness, 1},
		{"augment.contrast", a.Contrast, 1},
		{"augment.saturation", a.Saturation, 1},
	} {
		if !(r.v >= 0 && r.v <= r.upto) {
			return fmt.Errorf("preprocess: %s = %v outside 0–%v", r.name, r.v, r.upto)
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// DecodeTOML reads a Config from TOML, starting from Default so that
// missing keys keep their defaults; unknown keys and invalid values are
// errors.
func DecodeTOML(data string) (Config, error) {
	c := Default()
	md, err := toml.Decode(data, &c)
	if err != nil {
		return Config{}, fmt.Errorf("preprocess: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return Config{}, fmt.Errorf("preprocess: unknown keys %s", strings.Join(keys, ", "))
	}
	return c, c.Validate()
}

// ID is a short stable hash of the deterministic part of the
// configuration (augmentation excluded), for keying cached features.
func (c Config) ID() string {
	c.Augment = Augment{}
	b, _ := json.Marshal(c) // plain fields: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
