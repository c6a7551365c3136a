package convert

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"io"
	"os"

	"github.com/svgai/svgai/shared/imageio"
)

// Input is a decoded image with what identifies it.
type Input struct {
	Path   string       // as given; empty for uploads
	SHA256 string       // hex SHA-256 of the file's bytes
	Image  *image.NRGBA // decoded pixels, 8-bit, origin at (0, 0)
	Info   imageio.Info // format and header facts
}

// LoadFile reads and decodes an image file, refusing images over maxPixels
// (0 selects imageio.DefaultMaxPixels) before decoding them. Errors name the
// file.
func LoadFile(path string, maxPixels int) (*Input, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *PathError: names the file
	}
	defer f.Close()
	in, err := load(f, maxPixels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	in.Path = path
	return in, nil
}

// Load decodes image bytes, refusing images over maxPixels before decoding.
func Load(data []byte, maxPixels int) (*Input, error) {
	return load(bytes.NewReader(data), maxPixels)
}

// load decodes r while hashing it. The hash identifies the file, so it also
// covers any bytes after the end of the image, which the decoder leaves
// unread; an oversize image is refused after reading only its header.
func load(r io.Reader, maxPixels int) (*Input, error) {
	h := sha256.New()
	img, info, err := imageio.Decode(io.TeeReader(r, h), imageio.Options{MaxPixels: maxPixels})
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(h, r); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return &Input{SHA256: hex.EncodeToString(h.Sum(nil)), Image: imageio.NRGBA(img), Info: info}, nil
}
