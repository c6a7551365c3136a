package preprocess

import (
	"strings"
	"testing"
)

func TestDecodeTOML(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      func(Config) bool
		err       string
	}{
		{"empty is default", ``, func(c Config) bool { return c == Default() }, ""},
		{"crop", `size = 160
aspect = "crop"`, func(c Config) bool { return c.Size == 160 && c.Aspect == Crop && c.Mean == ImageNetMean }, ""},
		{"augment", `[augment]
flip = 0.5
rotate_degrees = 5.0
brightness = 0.2`, func(c Config) bool {
			return c.Augment == Augment{Flip: 0.5, RotateDegrees: 5, Brightness: 0.2}
		}, ""},
		{"unknown key", `sise = 3`, nil, "unknown keys sise"},
		{"bad aspect", `aspect = "squash"`, nil, `aspect "squash"`},
		{"bad std", `std = [0.2, 0.0, 0.2]`, nil, "std[1]"},
		{"bad flip", "[augment]\nflip = 1.5", nil, "augment.flip"},
		{"bad size", `size = 0`, nil, "size 0"},
		{"syntax", `size = `, nil, "preprocess:"},
	} {
		c, err := DecodeTOML(tc.src)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		} else if !tc.want(c) {
			t.Errorf("%s: got %+v", tc.name, c)
		}
	}
}

func TestID(t *testing.T) {
	a, b := Default(), Default()
	b.Augment = DefaultAugment()
	if a.ID() != b.ID() {
		t.Error("augmentation changed the ID of the deterministic pipeline")
	}
	b.Aspect = Crop
	if a.ID() == b.ID() {
		t.Error("aspect mode did not change the ID")
	}
	if len(a.ID()) != 16 {
		t.Errorf("ID %q", a.ID())
	}
}
