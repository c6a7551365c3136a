package svgrender

import (
	"fmt"
	"image/color"
	"math"
	"strings"
)

// parsePaint parses a fill value: "none", #rgb, #rrggbb, rgb(r, g, b) with
// integers or percentages, or one of the sixteen basic CSS colour names.
// none reports fill="none".
func parsePaint(s string) (c color.NRGBA, none bool, err error) {
	s = strings.TrimSpace(s)
	ls := strings.ToLower(s)
	switch {
	case ls == "none":
		return color.NRGBA{}, true, nil
	case strings.HasPrefix(ls, "#"):
		c, err = parseHex(ls[1:])
		return c, false, err
	case strings.HasPrefix(ls, "rgb(") && strings.HasSuffix(ls, ")"):
		c, err = parseRGBFunc(ls[4 : len(ls)-1])
		return c, false, err
	case strings.HasPrefix(ls, "url("), ls == "currentcolor", ls == "context-fill", ls == "context-stroke":
		return c, false, &UnsupportedError{Feature: "paint " + s}
	}
	if c, ok := namedColor(ls); ok {
		return c, false, nil
	}
	return c, false, fmt.Errorf("bad colour %q", s)
}

func parseHex(h string) (color.NRGBA, error) {
	var v [6]byte
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		default:
			return color.NRGBA{}, fmt.Errorf("bad colour #%s", h)
		}
		if i < len(v) {
			v[i] = c
		}
	}
	switch len(h) {
	case 3:
		return color.NRGBA{v[0] * 17, v[1] * 17, v[2] * 17, 255}, nil
	case 6:
		return color.NRGBA{v[0]<<4 | v[1], v[2]<<4 | v[3], v[4]<<4 | v[5], 255}, nil
	}
	return color.NRGBA{}, fmt.Errorf("bad colour #%s", h)
}

func parseRGBFunc(args string) (color.NRGBA, error) {
	parts := strings.Split(args, ",")
	if len(parts) != 3 {
		return color.NRGBA{}, fmt.Errorf("bad colour rgb(%s)", args)
	}
	var out [3]uint8
	for i, p := range parts {
		p = strings.TrimSpace(p)
		percent := strings.HasSuffix(p, "%")
		if percent {
			p = p[:len(p)-1]
		}
		sc := scanner{s: p}
		v, err := sc.number()
		if err != nil || !sc.done() {
			return color.NRGBA{}, fmt.Errorf("bad colour rgb(%s)", args)
		}
		if percent {
			// v*255/100, not v*2.55: 2.55 is not exact in binary, and
			// 50% must round to 128 as in resvg (svgtypes) and browsers.
			v = v * 255 / 100
		}
		// CSS clamps out-of-range components; halves round up.
		out[i] = uint8(math.Round(math.Min(math.Max(v, 0), 255)))
	}
	return color.NRGBA{out[0], out[1], out[2], 255}, nil
}

// namedColor knows the sixteen basic colour keywords of CSS Color Level 3
// (§4.1) and orange; anything else VTracer never writes.
func namedColor(name string) (color.NRGBA, bool) {
	rgb, ok := map[string][3]uint8{
		"black": {0, 0, 0}, "silver": {192, 192, 192}, "gray": {128, 128, 128}, "grey": {128, 128, 128},
		"white": {255, 255, 255}, "maroon": {128, 0, 0}, "red": {255, 0, 0}, "purple": {128, 0, 128},
		"fuchsia": {255, 0, 255}, "green": {0, 128, 0}, "lime": {0, 255, 0}, "olive": {128, 128, 0},
		"yellow": {255, 255, 0}, "navy": {0, 0, 128}, "blue": {0, 0, 255}, "teal": {0, 128, 128},
		"aqua": {0, 255, 255}, "orange": {255, 165, 0},
	}[name]
	if !ok {
		return color.NRGBA{}, false
	}
	return color.NRGBA{rgb[0], rgb[1], rgb[2], 255}, true
}
