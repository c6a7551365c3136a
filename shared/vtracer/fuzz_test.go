package vtracer

import (
	"testing"
)

// FuzzParseJSON checks that any input either fails cleanly or yields valid
// parameters whose canonical form parses back to the same value.
func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add(Default().MarshalCanonical())
	f.Add([]byte(`{"mode":"none","length_threshold":3.5,"layer_difference":0}`))
	f.Add([]byte(`{"filter_speckle":1e999}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseJSON(data, Default())
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParseJSON accepted invalid params: %v", err)
		}
		q, err := ParseJSON(p.MarshalCanonical(), Params{})
		if err != nil || q != p {
			t.Fatalf("canonical round trip: %v, %+v != %+v", err, q, p)
		}
	})
}

// FuzzSetAssignment checks that command-line assignments never panic.
func FuzzSetAssignment(f *testing.F) {
	for _, s := range []string{"mode=spline", "length_threshold=4.5", "max_iterations=-3", "=", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, kv string) {
		p := Default()
		if err := p.SetAssignment(kv); err == nil {
			_ = p.Validate()
			_ = p.Hash()
		}
	})
}
