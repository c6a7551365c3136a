package convert

import (
	"context"
	"errors"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/imageio/imageiotest"
	"github.com/svgai/svgai/shared/vtracer"
)

func TestAdmit(t *testing.T) {
	png8 := func(w, h int) imageio.Info {
		return imageio.Info{Format: "png", Width: w, Height: h, ColorType: "rgba", BitDepth: 8}
	}
	bomb := imageio.Info{Format: "png", Width: 6000, Height: 6000, ColorType: "rgba", BitDepth: 16, Interlaced: true}
	for _, tt := range []struct {
		name  string
		info  imageio.Info
		limit int64
		want  string
	}{
		{"icon", png8(256, 256), 384 << 20, ""},
		{"1540 px fits 384 MiB", png8(1540, 1540), 384 << 20, ""},
		{"4000 px", png8(4000, 4000), 384 << 20, "a 4000×4000 image needs an estimated 2.5 GiB to decode and convert, over the limit of 384 MiB per image (input.max_image_mib)"},
		{"bomb", bomb, 384 << 20, "6000×6000 image needs an estimated 6.0 GiB"},
		{"no limit", bomb, 0, ""},
	} {
		err := Admit(tt.info, tt.limit)
		if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Admit = %v, want %q", tt.name, err, tt.want)
		}
	}
	if got := Cost(bomb); got != 6000*6000*(20+BytesPerPixel) {
		t.Errorf("Cost(bomb) = %d", got)
	}
}

// TestLoadWithinRefusesByHeader: a bomb is refused at once, from its
// header, under the [input] limits; the plain pixel limit alone decodes.
func TestLoadWithinRefusesByHeader(t *testing.T) {
	bomb := imageiotest.Bomb(2)
	start := time.Now()
	_, err := LoadWithin(bomb, config.Default().Input)
	var me *MemoryError
	if !errors.As(err, &me) || time.Since(start) > time.Second {
		t.Fatalf("LoadWithin(bomb) = %v after %v, want a MemoryError at once", err, time.Since(start))
	}
}

// refusing fails the test when a conversion reaches the tracer.
type refusing struct {
	tracer.Tracer
	t *testing.T
}

func (r refusing) Trace(context.Context, *image.NRGBA, vtracer.Params) ([]byte, error) {
	r.t.Error("the tracer was called")
	return nil, errors.New("called")
}
func (refusing) Version() string { return "none" }

// TestConvertTransparentAndRefused: a fully transparent image becomes an
// SVG without paths, scored as identical, without VTracer (which panics on
// it); an image over MaxImageBytes or under MinSide never reaches it.
func TestConvertTransparentAndRefused(t *testing.T) {
	c := &Converter{Tracer: refusing{t: t}, MaxImageBytes: 1 << 20}
	res, err := c.Convert(context.Background(), image.NewNRGBA(image.Rect(0, 0, 40, 30)), vtracer.Default())
	if err != nil || res.Paths != 0 || res.Quality.SSIM != 1 || !strings.Contains(string(res.SVG), `width="40" height="30"`) {
		t.Fatalf("transparent: %+v, %v", res, err)
	}
	bad := vtracer.Default()
	bad.FilterSpeckle = 99
	if _, err := c.Convert(context.Background(), image.NewNRGBA(image.Rect(0, 0, 40, 30)), bad); err == nil {
		t.Error("transparent image with invalid parameters: no error")
	}
	var me *MemoryError
	if _, err := c.Convert(context.Background(), image.NewNRGBA(image.Rect(0, 0, 100, 100)), vtracer.Default()); !errors.As(err, &me) {
		t.Errorf("100×100 over a 1 MiB limit: %v", err)
	}
}
