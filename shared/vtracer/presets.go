package vtracer

import (
	"fmt"
	"sort"
	"strings"
)

// Preset returns the named parameter preset. The first three are upstream
// VTracer's presets; the others are starting points for the planning
// document's four logo types, chosen by us and measured in the README.
func Preset(name string) (Params, error) {
	p, ok := presets()[name]
	if !ok {
		return Params{}, fmt.Errorf("vtracer: unknown preset %q (known: %s)", name, strings.Join(PresetNames(), ", "))
	}
	return p, nil
}

// PresetNames lists the preset names in sorted order.
func PresetNames() []string {
	m := presets()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func presets() map[string]Params {
	with := func(f func(*Params)) Params {
		p := Default()
		f(&p)
		return p
	}
	return map[string]Params{
		// Upstream presets (vtracer cmdapp Config::from_preset).
		"bw":     with(func(p *Params) { p.ColorMode = Binary }),
		"poster": with(func(p *Params) { p.ColorPrecision = 8 }),
		"photo": with(func(p *Params) {
			p.FilterSpeckle, p.ColorPrecision, p.LayerDifference, p.CornerThreshold = 10, 8, 48, 180
		}),
		// Ours, for the planning document's logo types.
		"simple": with(func(p *Params) { // flat geometric shapes: few colours, clean corners
			p.FilterSpeckle, p.ColorPrecision, p.LayerDifference = 8, 5, 32
		}),
		"text": with(func(p *Params) { // lettering: keep small counters and sharp corners
			p.FilterSpeckle, p.ColorPrecision, p.CornerThreshold, p.LengthThreshold = 2, 6, 45, 3.5
		}),
		"gradient": with(func(p *Params) { // smooth ramps: many fine layers
			p.ColorPrecision, p.LayerDifference = 8, 8
		}),
		"complex": with(func(p *Params) { // detailed artwork: fine colours, smooth curves
			p.FilterSpeckle, p.ColorPrecision, p.CornerThreshold = 2, 8, 90
		}),
	}
}
