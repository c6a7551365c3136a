package h5weights

import "github.com/svgai/svgai/model/resnet"

// FormatName and FormatVersion identify files this package writes.
const (
	FormatName    = "svgai-resnet-weights"
	FormatVersion = 1
)

// Layout describes how the tensors are stored, recorded in every file.
const Layout = "torchvision state-dict keys; float32 little-endian, row-major; " +
	"conv OIHW, fc out x in; batch norm unfolded (weight, bias, running_mean, running_var)"

// Meta is the /meta record.
type Meta struct {
	Format     string `json:"format"`
	Version    int    `json:"version"`
	BaseWidth  int    `json:"base_width"`
	NumClasses int    `json:"num_classes"`
	// Random is true for untrained weights from resnet.RandomWeights;
	// features computed with them carry no learned meaning.
	Random bool   `json:"random"`
	Seed   uint64 `json:"seed,omitempty"`
	// Source is the checkpoint's file name, or "random".
	Source string `json:"source"`
	// SourceSHA256 is the hex SHA-256 of the source checkpoint file.
	SourceSHA256 string `json:"source_sha256,omitempty"`
	// Digest is resnet.Weights.Digest: a hash over the tensors themselves,
	// checked on every read.
	Digest string `json:"digest"`
	Layout string `json:"layout"`
	// Description is resnet.Weights.Describe, for people.
	Description string `json:"description"`
}

func metaOf(w *resnet.Weights) Meta {
	return Meta{
		Format:       FormatName,
		Version:      FormatVersion,
		BaseWidth:    w.Config.BaseWidth,
		NumClasses:   w.Config.NumClasses,
		Random:       w.Random,
		Seed:         w.Seed,
		Source:       w.Source,
		SourceSHA256: w.SourceSHA256,
		Digest:       w.Digest(),
		Layout:       Layout,
		Description:  w.Describe(),
	}
}
