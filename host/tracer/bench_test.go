package tracer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/svgai/svgai/shared/vtracer"
)

// BenchmarkTrace256 measures conversions of 256×256 logos (four fixture
// icons upscaled, VTracer's defaults), one at a time, through wazero and
// through the same module under Node's V8 with its own glue
// (testdata/oracle.mjs, which times to_svg alone after a warm-up). The node
// case also times wazero on the same conversions right after, and reports
// the ratio of the two as wazero/node (the goal: at most 1.2).
// It is skipped when node is not on PATH.
func BenchmarkTrace256(b *testing.B) {
	logos := logos256(b)
	p := vtracer.Default()
	ctx := context.Background()

	// wazeroRun converts n logos in turn and returns the time per conversion.
	wazeroRun := func(b *testing.B, w *Wasm, n int) time.Duration {
		start := time.Now()
		for i := 0; i < n; i++ {
			if _, err := w.Trace(ctx, logos[i%len(logos)].img, p); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start) / time.Duration(n)
	}
	warm := func(b *testing.B) *Wasm {
		w := newTestWasm(b, WasmOptions{MaxIdle: 1})
		wazeroRun(b, w, len(logos)) // instantiate and touch every logo once
		return w
	}
	report := func(b *testing.B, perConv time.Duration) {
		ms := float64(perConv) / 1e6
		b.ReportMetric(ms, "ms/conv")
		b.ReportMetric(1000/ms, "conv/s")
	}

	b.Run("wazero", func(b *testing.B) {
		w := warm(b)
		b.ResetTimer()
		report(b, wazeroRun(b, w, b.N))
	})

	b.Run("node", func(b *testing.B) {
		node, glue, module := nodeOracle(b)
		dir := b.TempDir()
		rounds := (b.N + len(logos) - 1) / len(logos)
		m := oracleManifest{Warmup: len(logos), Repeat: rounds}
		for i, l := range logos {
			raw := filepath.Join(dir, fmt.Sprintf("%d.rgba", i))
			if err := os.WriteFile(raw, rgba(l.img), 0o600); err != nil {
				b.Fatal(err)
			}
			m.Jobs = append(m.Jobs, oracleJob{RGBA: raw, Width: 256, Height: 256, Config: configJSON(wasmConfig(p))})
		}
		sum, err := runOracle(ctx, node, glue, module, dir, m)
		if err != nil {
			b.Fatal(err)
		}
		nodePer := time.Duration(sum.MsPerConversion * 1e6)
		b.StopTimer()
		w := warm(b)
		wazeroPer := wazeroRun(b, w, sum.Conversions)
		report(b, nodePer)
		b.ReportMetric(float64(nodePer), "ns/op") // not node's start-up
		b.ReportMetric(float64(wazeroPer)/float64(nodePer), "wazero/node")
	})
}
