package collect

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/svgai/svgai/host/convert"
)

// loadIn reads the image at path and decodes it if it belongs to the
// shard: an image of another shard costs a read and a hash, not a decode.
// It returns nil, nil for an image of another shard.
func loadIn(path string, shard Shard, maxPixels int) (*convert.Input, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *PathError: names the file
	}
	sum := sha256.Sum256(data)
	if !shard.Has(hex.EncodeToString(sum[:])) {
		return nil, nil
	}
	in, err := convert.Load(data, maxPixels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	in.Path = path
	return in, nil
}
