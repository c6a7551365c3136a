package hdf5store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// recordSchema is shaped like a conversion record of the dataset (issue 3).
func recordSchema() Schema {
	s := func(n string) Column { return Column{Name: n, Kind: String, Width: 1} }
	i := func(n string) Column { return Column{Name: n, Kind: Int64, Width: 1} }
	f := func(n string) Column { return Column{Name: n, Kind: Float64, Width: 1} }
	return Schema{Tables: []TableSchema{{Columns: []Column{
		s("image_sha256"), s("params_hash"), s("source"), s("category"), s("format"), s("tracer"),
		i("width"), i("height"), i("colors"), i("svg_bytes"), i("paths"),
		f("alpha_coverage"), f("ssim"), f("mse"), f("psnr"), f("ms"), f("metric_ms"),
		{Name: "params", Kind: Float64, Width: 11},
	}}}}
}

// featureSchema is shaped like the feature store (issue 4).
func featureSchema() Schema {
	return Schema{Tables: []TableSchema{{Columns: []Column{
		{Name: "image_sha256", Kind: String, Width: 1},
		{Name: "extractor_id", Kind: String, Width: 1},
		{Name: "features", Kind: Float32, Width: 2048},
		{Name: "handcrafted", Kind: Float32, Width: 32},
	}}}}
}

// benchRows makes n rows with plausible values: 300 images, hex hashes,
// non-negative features.
func benchRows(schema Schema, n int) []Row {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]Row, n)
	for r := range rows {
		img := fmt.Sprintf("%064x", r%300)
		ph := fmt.Sprintf("%016x", rng.Uint64())
		v := map[string]any{}
		for _, c := range schema.Tables[0].Columns {
			switch {
			case c.Name == "image_sha256":
				v[c.Name] = img
			case c.Name == "params_hash":
				v[c.Name] = ph
			case c.Name == "extractor_id":
				v[c.Name] = "resnet50-0676ba61/letterbox224/v1"
			case c.Kind == String:
				v[c.Name] = []string{"twemoji", "flags", "tabler", "synthetic"}[r%4]
			case c.Kind == Int64:
				v[c.Name] = rng.Int64N(1 << 16)
			case c.Kind == Float64 && c.Width == 1:
				v[c.Name] = rng.Float64()
			case c.Kind == Float64:
				xs := make([]float64, c.Width)
				for i := range xs {
					xs[i] = float64(rng.IntN(100))
				}
				v[c.Name] = xs
			case c.Kind == Float32:
				xs := make([]float32, c.Width)
				for i := range xs {
					xs[i] = float32(rng.ExpFloat64() * 0.5)
				}
				v[c.Name] = xs
			}
		}
		rows[r] = Row{Key: img + "/" + ph, Values: v}
	}
	return rows
}

// BenchmarkAppendReopen appends 10,000 rows in batches of 100, flushing
// after each batch as the collector does, closes (one compaction), and
// opens the result read-only. It reports both phases per 10,000 rows.
func BenchmarkAppendReopen(b *testing.B) {
	const n, batch = 10000, 100
	for _, bc := range []struct {
		name   string
		schema Schema
	}{{"records", recordSchema()}, {"features2048", featureSchema()}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			rows := benchRows(bc.schema, n)
			var appendT, reopenT time.Duration
			var size int64
			b.ResetTimer()
			for it := 0; it < b.N; it++ {
				path := storePath(b)
				start := time.Now()
				s := mustOpen(b, path, bc.schema, nil)
				tb := mustTable(b, s, "")
				for lo := 0; lo < n; lo += batch {
					mustAppend(b, tb, rows[lo:lo+batch])
					if err := s.Flush(ctx); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				r, err := OpenReadOnly(ctx, path)
				if err != nil {
					b.Fatal(err)
				}
				if got := mustTable(b, r, "").Len(); got != n {
					b.Fatalf("reopened with %d rows", got)
				}
				r.Close()
				reopenT += time.Since(mid)
				appendT += mid.Sub(start)
				fi, _ := os.Stat(path)
				size = fi.Size()
			}
			b.ReportMetric(float64(appendT.Milliseconds())/float64(b.N), "append+close-ms")
			b.ReportMetric(float64(reopenT.Milliseconds())/float64(b.N), "reopen-ms")
			b.ReportMetric(float64(n)*float64(b.N)/appendT.Seconds(), "rows/s")
			b.ReportMetric(float64(size)/n, "file-B/row")
		})
	}
}
