package api

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"testing"
)

// tinyPNG encodes a w×h image: a red diagonal on transparent.
func tinyPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			if x == y || x == y+1 {
				img.SetNRGBA(x, y, color.NRGBA{R: 220, G: 30, B: 40, A: 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestTinyImages sends images smaller than the SSIM window: they convert
// and optimize (200, SSIM in [0, 1]); without a plugin, predict answers
// 503. None answers 500.
func TestTinyImages(t *testing.T) {
	_, ts := newTestServer(t, testConfig(t, true), Options{})
	s := loadSpec(t)
	for _, sz := range []image.Point{{1, 1}, {3, 2}, {10, 10}, {40, 7}} {
		body := tinyPNG(t, sz.X, sz.Y)
		for _, ep := range []struct {
			path, query string
			status      int
		}{
			{"/v1/convert", "", 200},
			{"/v1/optimize", "?target_ssim=0.9", 200},
			{"/v1/predict", "?params=[{}]", 503},
		} {
			t.Run(fmt.Sprintf("%dx%d%s", sz.X, sz.Y, ep.path), func(t *testing.T) {
				r := do(t, "POST", ts.URL+ep.path+ep.query, "image/png", body)
				if r.status != ep.status {
					t.Fatalf("status %d, want %d: %s", r.status, ep.status, r.raw)
				}
				checkSpec(t, s, "POST", ep.path, r)
				key := "ssim"
				if ep.path == "/v1/optimize" {
					key = "achieved_ssim"
				}
				if ep.status == 200 {
					if v, ok := field(r.body, key).(float64); !ok || v < 0 || v > 1 {
						t.Errorf("%s = %v", key, field(r.body, key))
					}
				}
			})
		}
	}
}

// TestFailedOn checks that an error no rule classifies, met while working
// on a user's image, is a 422 naming it, while classified ones keep their
// status.
func TestFailedOn(t *testing.T) {
	var e *Error
	if err := failedOn(errors.New("trace: something odd"), "conversion_failed"); !errors.As(err, &e) ||
		e.Status != http.StatusUnprocessableEntity || e.Code != "conversion_failed" || e.Message != "trace: something odd" {
		t.Errorf("unclassified error became %v", err)
	}
	busy := &Error{Status: http.StatusServiceUnavailable, Code: "busy", Message: "busy"}
	if err := failedOn(busy, "conversion_failed"); err != busy {
		t.Errorf("a 503 became %v", err)
	}
}
