package svgrender

import (
	"errors"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// FuzzPathData feeds arbitrary path data to the parser and renders what it
// accepts on both rasterizers: nothing may panic, an accepted path starts
// with a moveto and holds only finite points within the segment limit.
// Seeds are the d attributes of the fixtures.
func FuzzPathData(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.svg"))
	dAttr := regexp.MustCompile(`\bd="([^"]*)"`)
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for i, m := range dAttr.FindAllSubmatch(b, -1) {
			if i < 3 && len(m[1]) < 4096 {
				f.Add(string(m[1]))
			}
		}
	}
	for _, s := range []string{"M0 0", "m1-2.5.5z", "M0 0 A1 1 0 1 1 5 5", "M0 0 Q1 1 2 0 T4 0 S5 5 6 6 H3 V9 Z l1 1"} {
		f.Add(s)
	}
	const limit = 4096
	colorOpaque := color.NRGBA{200, 100, 50, 255}
	f.Fuzz(func(t *testing.T, d string) {
		segs, err := parsePathData(d, nil, limit)
		if err != nil {
			return
		}
		if len(segs) > limit {
			t.Fatalf("%d segments > limit %d", len(segs), limit)
		}
		if len(segs) > 0 && segs[0].Op != MoveTo {
			t.Fatalf("first segment is op %d, not a moveto", segs[0].Op)
		}
		for _, s := range segs {
			for _, p := range s.Pts {
				if math.IsNaN(p.X) || math.IsInf(p.X, 0) || math.IsNaN(p.Y) || math.IsInf(p.Y, 0) {
					t.Fatalf("non-finite point %v", p)
				}
			}
		}
		doc := &Document{Width: 16, Height: 16, Paths: []Path{
			{Segments: segs, Fill: colorOpaque, Opacity: 1, Transform: Identity()},
			{Segments: segs, Fill: colorOpaque, Opacity: 0.5, FillRule: EvenOdd, Transform: Matrix{0.5, 0.1, -0.2, 2, 3, -1}},
		}}
		if _, err := Render(doc, 16, 16); err != nil {
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("render: %v", err)
			}
		}
		// The exact-area rasterizer takes what lies beyond aaMaxCoord.
		cv := newCanvas(16, 16)
		pt := newPaint(colorOpaque, 1)
		_ = newRasterizer(cv).fill(segs, Identity(), NonZero, &pt)
	})
}
