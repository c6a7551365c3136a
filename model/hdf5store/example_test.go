package hdf5store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/svgai/svgai/model/hdf5store"
)

// A feature store: one row per (image, extractor), 2048 ResNet features and
// K handcrafted ones, looked up by image SHA-256 plus extractor id.
func Example_featureStore() {
	dir, err := os.MkdirTemp("", "featstore")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "features.h5")
	const handcrafted = 8
	schema := hdf5store.Schema{Tables: []hdf5store.TableSchema{{
		Columns: []hdf5store.Column{
			{Name: "image_sha256", Kind: hdf5store.String, Width: 1},
			{Name: "extractor_id", Kind: hdf5store.String, Width: 1},
			{Name: "features", Kind: hdf5store.Float32, Width: 2048},
			{Name: "handcrafted", Kind: hdf5store.Float32, Width: handcrafted},
		},
	}, {
		Name: "failures",
		Columns: []hdf5store.Column{
			{Name: "image_sha256", Kind: hdf5store.String, Width: 1},
			{Name: "reason", Kind: hdf5store.String, Width: 1},
		},
	}}}

	ctx := context.Background()
	s, err := hdf5store.Open(ctx, path, schema, nil) // creates, or resumes after a crash
	if err != nil {
		log.Fatal(err)
	}
	if err := s.SetAttr("extractor_id", "resnet50-0676ba61/letterbox224/v1"); err != nil {
		log.Fatal(err)
	}
	tb, err := s.Table("")
	if err != nil {
		log.Fatal(err)
	}
	sha, ext := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "resnet50-0676ba61/letterbox224/v1"
	key := sha + "/" + ext
	if has, _ := tb.Has(key); !has { // never recompute features for a stored key
		_, err := tb.Append(ctx, hdf5store.Row{Key: key, Values: map[string]any{
			"image_sha256": sha,
			"extractor_id": ext,
			"features":     make([]float32, 2048),
			"handcrafted":  make([]float32, handcrafted),
		}})
		if err != nil {
			log.Fatal(err)
		}
	}
	if err := s.Flush(ctx); err != nil { // durable from here on
		log.Fatal(err)
	}
	if err := s.Close(); err != nil { // compacts: one HDF5 file, /features is N × 2048
		log.Fatal(err)
	}

	r, err := hdf5store.OpenReadOnly(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	rt, _ := r.Table("")
	row, ok, _ := rt.Get(key)
	rows := 0
	rt.Scan(ctx, 0, -1, func(b *hdf5store.Batch) error { // a block of rows at a time
		rows += len(b.Float32s("features")) / 2048
		return nil
	})
	fmt.Println(ok, len(row.Values["features"].([]float32)), rows, 2048)
	// Output: true 2048 1 2048
}

// A conversion dataset: one row per (image, parameter set), read back in
// blocks of rows, column by column.
func ExampleTable_Scan() {
	dir, err := os.MkdirTemp("", "dataset")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	schema := hdf5store.Schema{Tables: []hdf5store.TableSchema{{Columns: []hdf5store.Column{
		{Name: "image_sha256", Kind: hdf5store.String, Width: 1},
		{Name: "params_hash", Kind: hdf5store.String, Width: 1},
		{Name: "width", Kind: hdf5store.Int64, Width: 1},
		{Name: "ssim", Kind: hdf5store.Float64, Width: 1},
	}}}}
	ctx := context.Background()
	s, err := hdf5store.Open(ctx, filepath.Join(dir, "dataset.h5"), schema, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	tb, _ := s.Table("")
	for _, c := range []struct {
		img, params string
		ssim        float64
	}{{"aa", "p1", 0.91}, {"aa", "p2", 0.95}, {"bb", "p1", 0.88}, {"aa", "p1", 0.91}} {
		n, err := tb.Append(ctx, hdf5store.Row{Key: c.img + "/" + c.params, Values: map[string]any{
			"image_sha256": c.img, "params_hash": c.params, "width": 256, "ssim": c.ssim,
		}})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(n, " ") // the repeated (aa, p1) is skipped
	}
	err = tb.Scan(ctx, 0, -1, func(b *hdf5store.Batch) error {
		fmt.Println(b.Strings("image_sha256"), b.Float64s("ssim"))
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output: 1 1 1 0 [aa aa bb] [0.91 0.95 0.88]
}
