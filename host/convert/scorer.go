package convert

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image"
	"sync"

	"github.com/svgai/svgai/host/resvg"
	"github.com/svgai/svgai/host/svgrender"
	"github.com/svgai/svgai/shared/quality"
)

// vtracerMark starts the comment VTracer writes at the top of every SVG
// (upstream's svg.rs: "<!-- Generator: visioncortex VTracer ... -->").
var vtracerMark = []byte("<!-- Generator: visioncortex VTracer")

// Scorer scores SVGs made anywhere against their images (`svgai metrics`).
// VTracer's own output at the image's size is rendered by host/svgrender,
// as Convert renders it, so that scoring a converted SVG again gives the
// figures its conversion reported, 4–5 times faster than resvg; anything
// else is rendered by resvg itself (host/resvg). The zero value is ready
// to use: the resvg module is compiled on first need (about 1.5 s) and
// kept until Close. A Scorer is safe for concurrent use.
type Scorer struct {
	// Options configure the resvg renderer.
	Options resvg.Options

	mu sync.Mutex
	r  *resvg.Renderer
}

// Measure renders svg at ref's size and scores it against ref. It also
// returns the number of <path> elements in the SVG.
func (s *Scorer) Measure(ctx context.Context, ref image.Image, svg []byte) (quality.Scores, int, error) {
	b := ref.Bounds()
	if bytes.Contains(svg[:min(len(svg), 512)], vtracerMark) {
		doc, err := svgrender.Parse(svg)
		if err == nil && doc.ViewBox == nil && doc.Width == float64(b.Dx()) && doc.Height == float64(b.Dy()) {
			return measureDoc(ref, doc)
		}
	}
	r, err := s.renderer(ctx)
	if err != nil {
		return quality.Scores{}, 0, err
	}
	got, err := r.Render(ctx, svg, b.Dx(), b.Dy())
	if err != nil {
		return quality.Scores{}, 0, err
	}
	scores, err := quality.Compare(ref, got)
	if err != nil {
		return quality.Scores{}, 0, err
	}
	return scores, countPaths(svg), nil
}

func (s *Scorer) renderer(ctx context.Context) (*resvg.Renderer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.r == nil {
		r, err := resvg.New(ctx, s.Options)
		if err != nil {
			return nil, fmt.Errorf("start the SVG renderer: %w", err)
		}
		s.r = r
	}
	return s.r, nil
}

// Close releases the resvg renderer, if one was started.
func (s *Scorer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.r == nil {
		return nil
	}
	err := s.r.Close()
	s.r = nil
	return err
}

// countPaths counts the <path> elements of an SVG that resvg has parsed;
// it stops at the first XML error.
func countPaths(svg []byte) int {
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = false
	n := 0
	for {
		tok, err := d.RawToken()
		if err != nil { // io.EOF at the end
			return n
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "path" {
			n++
		}
	}
}
