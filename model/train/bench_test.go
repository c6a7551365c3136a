package train

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/svgai/svgai/model/mlp"
)

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkTrain10k trains on 10,080 synthetic records of 2,100 features
// (420 images × 24 parameter sets; 2,090 "image" features, 4 category, 6
// parameter), 80 % for fitting and 20 % for validation, benchEpochs epochs
// per iteration, with training.toml's defaults (GELU, AdamW, batch 256),
// two architectures on the fast BLAS and the default one on gonum's. It reports wall seconds per epoch, CPU seconds
// per epoch (meaningful on a shared machine: divide by the cores) and the
// projected wall time of 100 epochs. Requirement: 10,000 records in
// ≤ 5 minutes on 2 cores.
func BenchmarkTrain10k(b *testing.B) {
	const benchEpochs = 3
	data := synth(11, 420, 24, 2090)
	fit, val := splitGroups(data, 5)
	cases := []struct {
		blas   string
		hidden []int
	}{{mlp.FastBLASName, []int{512, 128}}, {mlp.FastBLASName, []int{256, 64}}, {"gonum", []int{512, 128}}}
	for _, tc := range cases {
		if tc.blas == "gonum" && mlp.FastBLASName == "gonum" {
			continue
		}
		b.Run(fmt.Sprintf("%s-%v", tc.blas, tc.hidden), func(b *testing.B) {
			blas := mlp.FastBLAS()
			if tc.blas == "gonum" {
				blas = mlp.DefaultBLAS()
			}
			cfg := Default()
			cfg.Model.Hidden = tc.hidden
			cfg.Epochs = benchEpochs
			cfg.EarlyStopping.Patience = 0
			var wall float64
			cpu0 := cpuTime()
			for b.Loop() {
				res, err := Train(context.Background(), cfg, fit, val, Options{BLAS: blas})
				if err != nil {
					b.Fatal(err)
				}
				for _, h := range res.History {
					wall += h.Seconds
				}
			}
			epochs := float64(b.N * benchEpochs)
			b.ReportMetric(wall/epochs, "s/epoch")
			b.ReportMetric((cpuTime()-cpu0).Seconds()/epochs, "cpu-s/epoch")
			b.ReportMetric(wall/epochs*100/60, "min/100-epochs")
		})
	}
}
