package resnet

import "testing"

// TestNumParams checks parameter counts against torchvision's
// sum(p.numel() for p in model.parameters()): resnet50() has 25,557,032
// (torchvision's model card); the width-8 fixture model printed 376,722
// when testdata/gen.py built it.
func TestNumParams(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want int
	}{
		{ResNet50(), 25_557_032},
		{Config{BaseWidth: 8, NumClasses: 10}, 376_722},
	} {
		if got := tc.cfg.NumParams(); got != tc.want {
			t.Errorf("%+v: %d parameters, want %d", tc.cfg, got, tc.want)
		}
	}
	if got := ResNet50().FeatureDim(); got != 2048 {
		t.Errorf("FeatureDim = %d, want 2048", got)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg Config
		ok  bool
	}{
		{ResNet50(), true},
		{Config{BaseWidth: 1, NumClasses: 1}, true},
		{Config{BaseWidth: 0, NumClasses: 10}, false},
		{Config{BaseWidth: 8, NumClasses: 0}, false},
		{Config{BaseWidth: 1 << 20, NumClasses: 10}, false},
	} {
		if err := tc.cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: Validate() = %v, want ok=%v", tc.cfg, err, tc.ok)
		}
	}
}
