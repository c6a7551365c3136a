package convert

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"os"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/shared/imageio"
)

// Input is an image file's bytes, decoded, with what identifies it.
type Input struct {
	Path   string       // as given; empty for uploads
	Data   []byte       // the file's bytes, as read: what the plugin is sent
	SHA256 string       // hex SHA-256 of Data: the image's one identity
	Image  *image.NRGBA // decoded pixels, 8-bit, origin at (0, 0)
	Info   imageio.Info // format and header facts
}

// LoadFile reads and decodes an image file, refusing images over maxPixels
// (0 selects imageio.DefaultMaxPixels) before decoding their pixels.
// Errors name the file.
func LoadFile(path string, maxPixels int) (*Input, error) {
	return LoadFileWithin(path, config.Input{MaxPixels: maxPixels})
}

// LoadFileWithin is LoadFile under plugin.toml's [input] limits: by its
// header, before decoding its pixels, it also refuses an image whose Cost
// is over lim.MaxImageMiB (when set).
func LoadFileWithin(path string, lim config.Input) (*Input, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *PathError: names the file
	}
	in, err := LoadWithin(data, lim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	in.Path = path
	return in, nil
}

// Load decodes image bytes, refusing images over maxPixels before decoding.
// The hash covers all of data, including any bytes after the end of the
// image, which the decoder leaves unread: it identifies the file.
func Load(data []byte, maxPixels int) (*Input, error) {
	img, info, err := imageio.Decode(bytes.NewReader(data), imageio.Options{MaxPixels: maxPixels})
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	return &Input{Data: data, SHA256: hex.EncodeToString(sum[:]), Image: imageio.NRGBA(img), Info: info}, nil
}

// LoadWithin is Load under the [input] limits, as LoadFileWithin.
func LoadWithin(data []byte, lim config.Input) (*Input, error) {
	if lim.MaxImageMiB > 0 {
		info, _, err := imageio.ReadHeader(bytes.NewReader(data), imageio.Options{MaxPixels: lim.MaxPixels})
		if err != nil {
			return nil, err
		}
		if err := Admit(info, lim.MaxImageBytes()); err != nil {
			return nil, err
		}
	}
	in, err := Load(data, lim.MaxPixels)
	if err != nil {
		return nil, err
	}
	return in, nil
}
