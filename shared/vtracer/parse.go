package vtracer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Names lists the eleven canonical parameter names in canonical order.
func Names() []string {
	return []string{"colormode", "hierarchical", "mode", "filter_speckle", "color_precision",
		"layer_difference", "corner_threshold", "length_threshold", "max_iterations",
		"splice_threshold", "path_precision"}
}

// Set assigns one parameter from its textual form, as given on a command
// line (`--set corner_threshold=90`). It does not validate the range; call
// Validate once all values are set.
func (p *Params) Set(name, value string) error {
	value = strings.TrimSpace(value)
	switch name {
	case "colormode":
		p.ColorMode = ColorMode(value)
		return nil
	case "hierarchical":
		p.Hierarchical = Hierarchy(value)
		return nil
	case "mode":
		p.Mode = CurveMode(value)
		return nil
	case "length_threshold":
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("vtracer: parameter length_threshold = %q is not a finite number", value)
		}
		p.LengthThreshold = v
		return nil
	}
	for _, r := range intRanges {
		if r.Name == name {
			v, err := strconv.Atoi(value)
			if err != nil {
				return fmt.Errorf("vtracer: parameter %s = %q is not an integer", name, value)
			}
			r.Set(p, v)
			return nil
		}
	}
	return fmt.Errorf("vtracer: unknown parameter %q (known: %s)", name, strings.Join(Names(), ", "))
}

// SetAssignment applies one "name=value" assignment.
func (p *Params) SetAssignment(kv string) error {
	name, value, ok := strings.Cut(kv, "=")
	if !ok {
		return fmt.Errorf("vtracer: %q is not of the form name=value", kv)
	}
	return p.Set(strings.TrimSpace(name), value)
}

// ParseJSON reads a JSON object of parameters. Keys that are absent keep
// their values from base (pass Default() for upstream defaults); unknown keys,
// values of the wrong type and values out of range are errors that name the
// parameter.
func ParseJSON(data []byte, base Params) (Params, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return Params{}, fmt.Errorf("vtracer: parameters: %w", err)
	}
	if raw == nil {
		return Params{}, fmt.Errorf("vtracer: parameters: want a JSON object, got null")
	}
	if dec.More() {
		return Params{}, fmt.Errorf("vtracer: parameters: trailing data after the JSON object")
	}
	p := base
	for _, name := range Names() {
		v, ok := raw[name]
		if !ok {
			continue
		}
		delete(raw, name)
		if err := p.setJSON(name, v); err != nil {
			return Params{}, err
		}
	}
	for name := range raw {
		return Params{}, fmt.Errorf("vtracer: unknown parameter %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return p, p.Validate()
}

// setJSON assigns one parameter from its JSON value, checking the JSON type.
func (p *Params) setJSON(name string, v json.RawMessage) error {
	switch name {
	case "colormode", "hierarchical", "mode":
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("vtracer: parameter %s = %s is not a string", name, v)
		}
		return p.Set(name, s)
	case "length_threshold":
		var f float64
		if err := json.Unmarshal(v, &f); err != nil {
			return fmt.Errorf("vtracer: parameter %s = %s is not a number", name, v)
		}
		p.LengthThreshold = f
		return nil
	}
	var f float64
	if err := json.Unmarshal(v, &f); err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<31 {
		return fmt.Errorf("vtracer: parameter %s = %s is not an integer", name, v)
	}
	return p.Set(name, strconv.Itoa(int(f)))
}

// UnmarshalJSON implements json.Unmarshaler with ParseJSON's rules, starting
// from Default(), so that a Params field in a larger JSON document is always
// complete and valid.
func (p *Params) UnmarshalJSON(data []byte) error {
	v, err := ParseJSON(data, Default())
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// MarshalJSON implements json.Marshaler with the canonical form.
func (p Params) MarshalJSON() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p.MarshalCanonical(), nil
}
