package imageio

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDecode decodes a real 250×175 icon and converts it to NRGBA.
func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "icons", "flag-br.png"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		img, _, err := Decode(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		NRGBA(img)
	}
}
