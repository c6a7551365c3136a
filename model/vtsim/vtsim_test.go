package vtsim

import (
	"context"
	"image"
	"image/color"
	"testing"

	"github.com/svgai/svgai/shared/vtracer"
)

// canvas is a w×h image of one colour with rectangles painted on it.
func canvas(w, h int, bg color.NRGBA, rects ...rectFill) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, bg)
		}
	}
	for _, r := range rects {
		for y := r.r.Min.Y; y < r.r.Max.Y; y++ {
			for x := r.r.Min.X; x < r.r.Max.X; x++ {
				img.SetNRGBA(x, y, r.c)
			}
		}
	}
	return img
}

type rectFill struct {
	r image.Rectangle
	c color.NRGBA
}

var (
	white       = color.NRGBA{255, 255, 255, 255}
	black       = color.NRGBA{0, 0, 0, 255}
	transparent = color.NRGBA{0, 0, 0, 0}
	orange      = color.NRGBA{250, 130, 10, 255}
	silver      = color.NRGBA{200, 200, 200, 255}
)

func params(edit func(p *vtracer.Params)) vtracer.Params {
	p := vtracer.Default()
	p.Mode = vtracer.None
	edit(&p)
	return p
}

func TestPaint(t *testing.T) {
	square := canvas(20, 20, white, rectFill{image.Rect(5, 5, 15, 15), black})
	grey := canvas(20, 20, white, rectFill{image.Rect(5, 5, 15, 15), silver})
	speck := canvas(10, 10, white, rectFill{image.Rect(4, 4, 5, 5), black})
	onClear := canvas(20, 20, transparent, rectFill{image.Rect(5, 5, 15, 15), orange})
	tests := []struct {
		name string
		img  *image.NRGBA
		p    vtracer.Params
		// want is the painted colour at (0, 0), at the image's centre and
		// at (4, 4).
		corner, centre, at44 color.NRGBA
	}{
		{"a layer far from its background stays", square, params(func(*vtracer.Params) {}), white, black, white},
		{"a speckle merges and tints its neighbour", speck, params(func(p *vtracer.Params) { p.FilterSpeckle = 2 }),
			// the speckle (1 px ≤ 2² px) joins the background, whose
			// colour becomes the mean of both: (99·255 + 0) / 100
			color.NRGBA{252, 252, 252, 255}, color.NRGBA{252, 252, 252, 255}, color.NRGBA{252, 252, 252, 255}},
		{"a layer close in colour stays at a small layer difference", grey, params(func(*vtracer.Params) {}), white, silver, white},
		{"a layer too close in colour merges", grey, params(func(p *vtracer.Params) { p.LayerDifference = 255 }),
			// |255−200|·3 = 165 ≤ 255: one layer of (100·200 + 300·255) / 400
			color.NRGBA{241, 241, 241, 255}, color.NRGBA{241, 241, 241, 255}, color.NRGBA{241, 241, 241, 255}},
		{"keyed transparency stays transparent (stacked)", onClear, params(func(*vtracer.Params) {}), transparent, orange, transparent},
		{"keyed transparency is painted in the key colour (cutout)", onClear, params(func(p *vtracer.Params) { p.Hierarchical = vtracer.Cutout }),
			color.NRGBA{255, 0, 0, 255}, orange, color.NRGBA{255, 0, 0, 255}},
		{"binary: dark regions black, the rest transparent", square, params(func(p *vtracer.Params) { p.ColorMode = vtracer.Binary }), transparent, black, transparent},
		{"binary: speckles dropped", speck, params(func(p *vtracer.Params) { p.ColorMode = vtracer.Binary; p.FilterSpeckle = 2 }), transparent, transparent, transparent},
		{"binary: reads raw red, so transparent black is ink", onClear, params(func(p *vtracer.Params) { p.ColorMode = vtracer.Binary }), black, transparent, black},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Paint(tt.img, tt.p)
			c := tt.img.Rect.Dx() / 2
			for _, pt := range []struct {
				x, y int
				want color.NRGBA
			}{{0, 0, tt.corner}, {c, c, tt.centre}, {4, 4, tt.at44}} {
				if got := out.NRGBAAt(pt.x, pt.y); got != pt.want {
					t.Errorf("pixel (%d, %d) = %v, want %v", pt.x, pt.y, got, pt.want)
				}
			}
		})
	}
}

func TestPaintKeepsInput(t *testing.T) {
	img := canvas(8, 8, white, rectFill{image.Rect(2, 2, 6, 6), black})
	before := append([]uint8(nil), img.Pix...)
	for _, h := range []vtracer.Hierarchy{vtracer.Stacked, vtracer.Cutout} {
		Paint(img, params(func(p *vtracer.Params) { p.Hierarchical = h; p.FilterSpeckle = 1 }))
	}
	if string(before) != string(img.Pix) {
		t.Fatal("Paint modified its input")
	}
}

func TestScoreErrors(t *testing.T) {
	img := canvas(16, 16, white)
	bad := vtracer.Default()
	bad.ColorPrecision = 9
	if _, err := Simulate(context.Background(), img, bad); err == nil {
		t.Error("Simulate accepted color_precision 9")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Simulate(ctx, img, vtracer.Default()); err == nil {
		t.Error("Simulate ran with a cancelled context")
	}
	s, err := Simulate(context.Background(), img, vtracer.Default())
	if err != nil || s.SSIM != 1 || s.MSE != 0 {
		t.Errorf("a flat image scores %+v, %v; want SSIM 1, MSE 0", s, err)
	}
}

// TestKeyOf checks that parameter sets with one Key simulate alike, and
// that what the simulation ignores stays out of the Key: the path
// precision and thresholds outside spline mode, the hierarchy, precision
// and layer difference in binary mode.
func TestKeyOf(t *testing.T) {
	img := canvas(24, 24, white, rectFill{image.Rect(3, 3, 9, 20), orange}, rectFill{image.Rect(12, 2, 13, 3), silver})
	var sets []vtracer.Params
	for _, cm := range []vtracer.ColorMode{vtracer.Color, vtracer.Binary} {
		for _, h := range []vtracer.Hierarchy{vtracer.Stacked, vtracer.Cutout} {
			for _, mode := range []vtracer.CurveMode{vtracer.Spline, vtracer.Polygon, vtracer.None} {
				for _, prec := range []int{3, 8} {
					for _, pp := range []int{0, 2} {
						sets = append(sets, params(func(p *vtracer.Params) {
							p.ColorMode, p.Hierarchical, p.Mode, p.ColorPrecision, p.PathPrecision = cm, h, mode, prec, pp
						}))
					}
				}
			}
		}
	}
	got, err := NewScorer(img).ScoreAll(context.Background(), sets)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[Key]Result{}
	for i, p := range sets {
		if prev, ok := seen[KeyOf(p)]; ok && prev != got[i] {
			t.Errorf("%s simulates to %+v, another set with its key to %+v", p.MarshalCanonical(), got[i], prev)
		}
		seen[KeyOf(p)] = got[i]
	}
	// colour: 2 hierarchies × 2 precisions × (pixel, polygon, spline at 2
	// path precisions); binary: pixel, polygon, spline at 2 path precisions
	if want := 2*2*4 + 4; len(seen) != want {
		t.Errorf("%d distinct keys, want %d", len(seen), want)
	}
}

// TestScorer checks that a Scorer simulates like Simulate, each parameter
// set alone, although it shares stage 1, the clustering and the curve
// fitting between sets and scores each distinct rendering once.
func TestScorer(t *testing.T) {
	img := canvas(24, 24, transparent, rectFill{image.Rect(3, 3, 20, 20), orange}, rectFill{image.Rect(8, 8, 9, 9), silver},
		rectFill{image.Rect(10, 4, 18, 12), color.NRGBA{240, 140, 20, 255}})
	ctx := context.Background()
	var sets []vtracer.Params
	for _, prec := range []int{8, 6, 2} {
		for _, speckle := range []int{1, 3} {
			for _, layer := range []int{0, 16, 200} {
				for _, h := range []vtracer.Hierarchy{vtracer.Stacked, vtracer.Cutout} {
					for _, mode := range []vtracer.CurveMode{vtracer.None, vtracer.Polygon, vtracer.Spline} {
						sets = append(sets, params(func(p *vtracer.Params) {
							p.ColorPrecision, p.FilterSpeckle, p.LayerDifference, p.Hierarchical, p.Mode = prec, speckle, layer, h, mode
						}))
					}
				}
			}
		}
	}
	sets = append(sets, params(func(p *vtracer.Params) { p.ColorMode = vtracer.Binary }))
	sc := NewScorer(img)
	got, err := sc.ScoreAll(ctx, sets)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range sets {
		if want, _ := Simulate(ctx, img, p); got[i] != want {
			t.Errorf("%s: ScoreAll %+v, Simulate %+v", p.MarshalCanonical(), got[i], want)
		}
	}
	if n := len(sc.seen); n >= len(sets) {
		t.Errorf("%d paintings scored for %d parameter sets of a four-colour image; identical ones should be scored once", n, len(sets))
	}
	bad := sets[0]
	bad.FilterSpeckle = 0
	if _, err := sc.ScoreAll(ctx, []vtracer.Params{sets[1], bad}); err == nil {
		t.Error("ScoreAll accepted filter_speckle 0")
	}
}
