package convert

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/shared/imageio"
)

func TestLoadFile(t *testing.T) {
	tests := []struct {
		file          string
		width, height int
		alpha         bool
	}{
		{"twemoji-1f34e.png", 64, 64, true},
		{"tabler-home.png", 240, 240, true},
		{"flag-jp.png", 100, 67, true}, // a palette with tRNS: 200 transparent border pixels
		{"flag-gb.png", 100, 50, false},
		{"flag-br.png", 250, 175, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(icons, tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			in, err := LoadFile(path, 0)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if in.SHA256 != hex.EncodeToString(sum[:]) || in.Path != path {
				t.Errorf("sha256 %s path %q; want the file's %x and %q", in.SHA256, in.Path, sum, path)
			}
			i := in.Info
			if i.Format != "png" || i.Width != tt.width || i.Height != tt.height || i.HasAlpha != tt.alpha {
				t.Errorf("info %+v, want png %d×%d alpha %v", i, tt.width, tt.height, tt.alpha)
			}
			if in.Image.Rect != image.Rect(0, 0, tt.width, tt.height) {
				t.Errorf("image bounds %v", in.Image.Rect)
			}
			// Load on the bytes agrees with LoadFile on the file.
			again, err := Load(data, 0)
			if err != nil || again.SHA256 != in.SHA256 || !bytes.Equal(again.Image.Pix, in.Image.Pix) {
				t.Errorf("Load disagrees with LoadFile: %v", err)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	icon := filepath.Join(icons, "flag-jp.png") // 100×67
	data, err := os.ReadFile(icon)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		data      []byte
		maxPixels int
		kind      error
	}{
		{"over the pixel limit", data, 100*67 - 1, imageio.ErrTooLarge},
		{"at the pixel limit", data, 100 * 67, nil},
		{"truncated", data[:len(data)/2], 0, imageio.ErrTruncated},
		{"empty", nil, 0, imageio.ErrEmpty},
		{"text", []byte("not an image at all"), 0, imageio.ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.data, tt.maxPixels)
			if !errors.Is(err, tt.kind) || (err == nil) != (tt.kind == nil) {
				t.Errorf("err = %v, want %v", err, tt.kind)
			}
		})
	}
	// LoadFile names the file; trailing bytes count in the hash.
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.png")
	if err := os.WriteFile(bad, data[:40], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(bad, 0); err == nil || !strings.HasPrefix(err.Error(), bad+": imageio: truncated") {
		t.Errorf("LoadFile error %q does not name the file and the problem", err)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.png"), 0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	padded := append(bytes.Clone(data), "trailer"...)
	in, err := Load(padded, 0)
	sum := sha256.Sum256(padded)
	if err != nil || in.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("trailing bytes: err %v, sha256 %s, want %x", err, in.SHA256, sum)
	}
}

// solidPNG is a w×h PNG of one colour.
func solidPNG(t *testing.T, w, h int, c color.NRGBA) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
