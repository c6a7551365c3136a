package collect

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/tools/corpus"
)

// BenchmarkCollect1000 is the pipeline figure: about 1000 real
// conversions (42 synthetic 256 px logos × the 24 default parameter sets =
// 1008), scored and stored, with one worker per CPU. It reports records/s
// and the time a thousand records take.
func BenchmarkCollect1000(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	if _, err := corpus.Generate(ctx, dir, corpus.Options{Seed: 11, PerCategory: 11, MinSize: 256, MaxSize: 256}); err != nil {
		b.Fatal(err)
	}
	srcs, err := Sources(dir)
	if err != nil {
		b.Fatal(err)
	}
	srcs = srcs[:42]
	w, err := tracer.NewWasm(ctx, tracer.WasmOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		store, err := dataset.Open(ctx, filepath.Join(b.TempDir(), "ds.h5"))
		if err != nil {
			b.Fatal(err)
		}
		c := &Collector{Converter: &convert.Converter{Tracer: w}, Store: store, Sampling: DefaultSampling(),
			Workers: runtime.NumCPU(), Log: hclog.NewNullLogger()}
		b.StartTimer()
		start := time.Now()
		st, err := c.Run(ctx, srcs)
		if err != nil {
			b.Fatal(err)
		}
		if err := store.Close(); err != nil {
			b.Fatal(err)
		}
		secs := time.Since(start).Seconds()
		if st.Converted != 42*24 {
			b.Fatalf("converted %d", st.Converted)
		}
		b.ReportMetric(float64(st.Converted)/secs, "records/s")
		b.ReportMetric(1000*secs/float64(st.Converted), "s/1000rec")
	}
}
