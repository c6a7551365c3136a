package vtracer

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
)

// TestSpecsAgreeWithValidate walks every Spec and checks that Validate
// accepts exactly what it describes: each allowed value and both ends of
// each range, and nothing just outside them.
func TestSpecsAgreeWithValidate(t *testing.T) {
	specs := Specs()
	if len(specs) != len(Names()) {
		t.Fatalf("%d specs for %d parameters", len(specs), len(Names()))
	}
	def := Default()
	for i, s := range specs {
		if s.Name != Names()[i] || s.Description == "" {
			t.Errorf("spec %d: name %q (want %q), description %q", i, s.Name, Names()[i], s.Description)
		}
		set := func(v string) error {
			p := def
			if err := p.Set(s.Name, v); err != nil {
				return err
			}
			return p.Validate()
		}
		if err := set(fmt.Sprint(s.Default)); err != nil {
			t.Errorf("%s: default %v: %v", s.Name, s.Default, err)
		}
		var good, bad []string
		switch s.Type {
		case "string":
			good, bad = s.Values, []string{"", "pixel", "Color"}
		case "integer":
			lo, hi := int(*s.Minimum), int(*s.Maximum)
			good, bad = []string{strconv.Itoa(lo), strconv.Itoa(hi)}, []string{strconv.Itoa(lo - 1), strconv.Itoa(hi + 1)}
		case "number":
			good = []string{fmt.Sprint(*s.Minimum), fmt.Sprint(*s.Maximum)}
			bad = []string{fmt.Sprint(*s.Minimum - 0.01), fmt.Sprint(*s.Maximum + 0.01)}
		default:
			t.Errorf("%s: type %q", s.Name, s.Type)
		}
		for _, v := range good {
			if err := set(v); err != nil {
				t.Errorf("%s = %s: %v, want valid", s.Name, v, err)
			}
		}
		for _, v := range bad {
			var re *RangeError
			if err := set(v); !errors.As(err, &re) || re.Name != s.Name {
				t.Errorf("%s = %q: %v, want a RangeError naming it", s.Name, v, err)
			}
		}
	}
}

func TestAlternatives(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"a"}, `"a"`},
		{[]string{"a", "b"}, `"a" or "b"`},
		{[]string{"a", "b", "c"}, `"a", "b" or "c"`},
	} {
		if got := alternatives(tc.in); got != tc.want {
			t.Errorf("alternatives(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestEveryPresetDescribed(t *testing.T) {
	for _, name := range PresetNames() {
		if PresetDescription(name) == "" {
			t.Errorf("preset %s has no description", name)
		}
	}
}
