package vtracer

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestDefaultIsValidAndCanonical(t *testing.T) {
	p := Default()
	if err := p.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	const want = `{"colormode":"color","hierarchical":"stacked","mode":"spline","filter_speckle":4,` +
		`"color_precision":6,"layer_difference":16,"corner_threshold":60,"length_threshold":4,` +
		`"max_iterations":10,"splice_threshold":45,"path_precision":2}`
	if got := string(p.MarshalCanonical()); got != want {
		t.Errorf("canonical form:\n got %s\nwant %s", got, want)
	}
	// The hand-written canonical form must be what encoding/json would write
	// with the struct tags, so that either can read the other.
	type plain Params
	std, err := json.Marshal(plain(p))
	if err != nil {
		t.Fatal(err)
	}
	if string(std) != want {
		t.Errorf("encoding/json form differs:\n got %s\nwant %s", std, want)
	}
}

func TestValidateNamesParameterValueAndRange(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Params)
		want   string // substring of the error; "" means valid
	}{
		{"defaults", func(*Params) {}, ""},
		{"bad colormode", func(p *Params) { p.ColorMode = "rgb" }, `colormode = "rgb" out of range (allowed: "color" or "binary")`},
		{"bad hierarchy", func(p *Params) { p.Hierarchical = "" }, `hierarchical = ""`},
		{"bad mode", func(p *Params) { p.Mode = "pixel" }, `mode = "pixel"`},
		{"speckle low", func(p *Params) { p.FilterSpeckle = 0 }, "filter_speckle = 0 out of range (allowed: 1 to 16)"},
		{"speckle high", func(p *Params) { p.FilterSpeckle = 17 }, "filter_speckle = 17"},
		{"speckle edges", func(p *Params) { p.FilterSpeckle = 16 }, ""},
		{"precision", func(p *Params) { p.ColorPrecision = 9 }, "color_precision = 9 out of range (allowed: 1 to 8)"},
		{"layer zero ok", func(p *Params) { p.LayerDifference = 0 }, ""},
		{"layer", func(p *Params) { p.LayerDifference = 256 }, "layer_difference = 256 out of range (allowed: 0 to 255)"},
		{"corner", func(p *Params) { p.CornerThreshold = -1 }, "corner_threshold = -1 out of range (allowed: 0 to 180)"},
		{"length low", func(p *Params) { p.LengthThreshold = 3.4 }, "length_threshold = 3.4 out of range (allowed: 3.5 to 10)"},
		{"length NaN", func(p *Params) { p.LengthThreshold = math.NaN() }, "length_threshold = NaN"},
		{"length edge", func(p *Params) { p.LengthThreshold = 10 }, ""},
		{"iterations", func(p *Params) { p.MaxIterations = 0 }, "max_iterations = 0 out of range (allowed: 1 to 100)"},
		{"splice", func(p *Params) { p.SpliceThreshold = 181 }, "splice_threshold = 181"},
		{"path precision", func(p *Params) { p.PathPrecision = -1 }, "path_precision = -1 out of range (allowed: 0 to 8)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Default()
			tt.modify(&p)
			err := p.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var re *RangeError
			if !errors.As(err, &re) {
				t.Fatalf("Validate() = %v, want a *RangeError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    func(*Params)
		wantErr string
	}{
		{`{}`, func(*Params) {}, ""},
		{`{"mode":"polygon","corner_threshold":90}`, func(p *Params) { p.Mode, p.CornerThreshold = Polygon, 90 }, ""},
		{`{"length_threshold":3.5,"color_precision":8.0}`, func(p *Params) { p.LengthThreshold, p.ColorPrecision = 3.5, 8 }, ""},
		{`{"colour_mode":"color"}`, nil, `unknown parameter "colour_mode"`},
		{`{"filter_speckle":"4"}`, nil, "filter_speckle = \"4\" is not an integer"},
		{`{"filter_speckle":4.5}`, nil, "filter_speckle = 4.5 is not an integer"},
		{`{"filter_speckle":1e300}`, nil, "filter_speckle = 1e300 is not an integer"},
		{`{"mode":3}`, nil, "mode = 3 is not a string"},
		{`{"layer_difference":300}`, nil, "layer_difference = 300 out of range"},
		{`null`, nil, "want a JSON object"},
		{`[1]`, nil, "parameters:"},
		{`{} {}`, nil, "trailing data"},
		{``, nil, "parameters:"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseJSON([]byte(tt.in), Default())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseJSON(%s) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseJSON(%s) = %v", tt.in, err)
			}
			want := Default()
			tt.want(&want)
			if got != want {
				t.Errorf("ParseJSON(%s) = %+v, want %+v", tt.in, got, want)
			}
		})
	}
}

func TestSetAssignment(t *testing.T) {
	p := Default()
	for _, kv := range []string{"colormode=binary", "length_threshold=5.5", " max_iterations = 3", "mode=none"} {
		if err := p.SetAssignment(kv); err != nil {
			t.Fatalf("SetAssignment(%q) = %v", kv, err)
		}
	}
	if p.ColorMode != Binary || p.LengthThreshold != 5.5 || p.MaxIterations != 3 || p.Mode != None {
		t.Errorf("after assignments: %+v", p)
	}
	for _, kv := range []string{"speckle=3", "filter_speckle", "filter_speckle=x", "length_threshold=Inf", "length_threshold=nan"} {
		if err := p.SetAssignment(kv); err == nil {
			t.Errorf("SetAssignment(%q) = nil, want an error", kv)
		}
	}
}

func TestPresetsValidAndDistinct(t *testing.T) {
	names := PresetNames()
	want := []string{"bw", "complex", "gradient", "photo", "poster", "simple", "text"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("PresetNames() = %v, want %v", names, want)
	}
	seen := map[string]string{}
	for _, n := range names {
		p, err := Preset(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("preset %s invalid: %v", n, err)
		}
		if other, dup := seen[p.Hash()]; dup {
			t.Errorf("presets %s and %s are identical", n, other)
		}
		seen[p.Hash()] = n
	}
	// Upstream's presets, from DESIGN.md.
	photo, _ := Preset("photo")
	if photo.FilterSpeckle != 10 || photo.ColorPrecision != 8 || photo.LayerDifference != 48 || photo.CornerThreshold != 180 {
		t.Errorf("photo preset = %+v", photo)
	}
	if _, err := Preset("vivid"); err == nil || !strings.Contains(err.Error(), "known: bw, complex") {
		t.Errorf("Preset(vivid) error = %v", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	type record struct {
		Params Params `json:"params"`
	}
	in := record{Params: Default()}
	in.Params.Mode = Polygon
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out record
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Errorf("round trip: got %+v, want %+v", out, in)
	}
	bad := Default()
	bad.FilterSpeckle = 99
	if _, err := json.Marshal(record{bad}); err == nil {
		t.Error("marshal of invalid params succeeded")
	}
}

func TestHashDistinguishesEveryField(t *testing.T) {
	base := Default().Hash()
	for _, r := range IntRanges() {
		p := Default()
		r.Set(&p, r.Get(&p)+1)
		if p.Hash() == base {
			t.Errorf("changing %s did not change the hash", r.Name)
		}
	}
	p := Default()
	p.LengthThreshold += 0.5
	if p.Hash() == base {
		t.Error("changing length_threshold did not change the hash")
	}
}
