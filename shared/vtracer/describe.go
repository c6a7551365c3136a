package vtracer

import (
	"fmt"
	"strings"
)

// Spec describes one parameter for a client that builds controls from it
// (the web page, through GET /v1/parameters): its type, allowed values or
// range, default, unit and what it does. Specs derives it from the tables
// that validation uses, so the two cannot disagree.
type Spec struct {
	Name        string   `json:"name"`              // canonical name
	Type        string   `json:"type"`              // "string", "integer" or "number"
	Values      []string `json:"values,omitempty"`  // a string parameter's allowed values
	Minimum     *float64 `json:"minimum,omitempty"` // a number's inclusive range
	Maximum     *float64 `json:"maximum,omitempty"`
	Default     any      `json:"default"` // VTracer's default (Default())
	Unit        string   `json:"unit,omitempty"`
	Description string   `json:"description"`
}

// EnumValues lists the allowed values of a string parameter (colormode,
// hierarchical, mode) in upstream's order; nil for other names.
func EnumValues(name string) []string {
	switch name {
	case "colormode":
		return []string{string(Color), string(Binary)}
	case "hierarchical":
		return []string{string(Stacked), string(Cutout)}
	case "mode":
		return []string{string(Spline), string(Polygon), string(None)}
	}
	return nil
}

// alternatives spells allowed values for an error: "a", "b" or "c".
func alternatives(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = quote(v)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// about says what each parameter does and in what unit (docs/parameters.md
// has the longer version).
func about(name string) (unit, description string) {
	switch name {
	case "colormode":
		return "", "trace in colour, or black and white"
	case "hierarchical":
		return "", "shapes stacked on one another, or cut out of each other"
	case "mode":
		return "", "curve fitting: smooth splines, straight polygons, or none (pixel-exact outlines)"
	case "filter_speckle":
		return "px", "patches smaller than this many pixels squared are dropped"
	case "color_precision":
		return "bits", "significant bits kept per RGB channel when clustering colours"
	case "layer_difference":
		return "", "colour difference between gradient layers; 0 turns on diagonal clustering"
	case "corner_threshold":
		return "degrees", "the smallest angle that counts as a corner"
	case "length_threshold":
		return "px", "segments shorter than this are merged"
	case "max_iterations":
		return "", "curve-fitting iterations"
	case "splice_threshold":
		return "degrees", "the smallest change of direction at which a spline is split"
	case "path_precision":
		return "decimals", "decimal places of path coordinates"
	}
	return "", ""
}

// Specs describes the eleven parameters in canonical order.
func Specs() []Spec {
	def := Default()
	specs := make([]Spec, 0, len(Names()))
	for _, name := range Names() {
		s := Spec{Name: name}
		s.Unit, s.Description = about(name)
		switch {
		case EnumValues(name) != nil:
			s.Type, s.Values = "string", EnumValues(name)
			s.Default = map[string]string{"colormode": string(def.ColorMode), "hierarchical": string(def.Hierarchical), "mode": string(def.Mode)}[name]
		case name == LengthThresholdRange.Name:
			lo, hi := LengthThresholdRange.Min, LengthThresholdRange.Max
			s.Type, s.Minimum, s.Maximum, s.Default = "number", &lo, &hi, def.LengthThreshold
		default:
			r := intRange(name)
			lo, hi := float64(r.Min), float64(r.Max)
			s.Type, s.Minimum, s.Maximum, s.Default = "integer", &lo, &hi, r.Get(&def)
		}
		specs = append(specs, s)
	}
	return specs
}

// intRange is the named integer parameter's range; it panics on a name
// that is not one, which only a programming error can pass.
func intRange(name string) IntRange {
	for _, r := range intRanges {
		if r.Name == name {
			return r
		}
	}
	panic(fmt.Sprintf("vtracer: %q is not an integer parameter", name))
}

// PresetDescription says what the named preset is for ("" for an unknown
// name).
func PresetDescription(name string) string {
	return map[string]string{
		"bw":       "upstream: black and white",
		"poster":   "upstream: posterised colour (8 bits)",
		"photo":    "upstream: photographs",
		"simple":   "flat geometric logos",
		"text":     "lettering",
		"gradient": "smooth colour ramps",
		"complex":  "detailed artwork",
	}[name]
}
