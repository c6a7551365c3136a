package resnet

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gorgonia.org/tensor"
)

// BenchmarkForward times full-width ResNet-50 (random weights; the numbers
// do not depend on the values) on 224 × 224 inputs at batch 1 and 16 for
// every backend of this build, reporting ms/image, images/s and CPU time
// per image (user + system, all threads: the fairer figure when other
// processes share the cores). Run once:
//
//	go test ./model/resnet/ -run '^$' -bench Forward -benchtime 3x
//	go test -tags purego ./model/resnet/ -run '^$' -bench Forward -benchtime 1x
//
// testdata/bench_torch.py measures PyTorch the same way.
func BenchmarkForward(b *testing.B) {
	w := Random(1)
	ctx := context.Background()
	for _, mk := range testBackends() {
		be := mk()
		ex, err := New(w, Options{Backend: be})
		if err != nil {
			b.Fatal(err)
		}
		name := be.Name
		for _, n := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/batch=%d", name, n), func(b *testing.B) {
				mk() // OpenBLAS's thread count is process-wide: set it again
				x := tensor.New(tensor.WithShape(n, 3, 224, 224), tensor.WithBacking(make([]float32, n*3*224*224)))
				for i := range x.Float32s() {
					x.Float32s()[i] = float32(i%251)/125 - 1
				}
				// One untimed pass allocates the scratch buffers.
				if _, err := ex.Features(ctx, x); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				start, cpu0 := time.Now(), cpuTime()
				for range b.N {
					if _, err := ex.Features(ctx, x); err != nil {
						b.Fatal(err)
					}
				}
				images := float64(b.N * n)
				perImage := time.Since(start).Seconds() / images
				b.ReportMetric(perImage*1e3, "ms/image")
				b.ReportMetric(1/perImage, "images/s")
				b.ReportMetric((cpuTime()-cpu0).Seconds()/images*1e3, "cpu-ms/image")
			})
		}
	}
}

// cpuTime is the process's user + system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkHundred runs 100 images through the default backend in batches
// of 16, the way `svgai-tools features` would, and reports the process's
// peak resident memory (VmHWM, which includes the weights; Linux only).
//
//	go test ./model/resnet/ -run '^$' -bench Hundred -benchtime 1x
func BenchmarkHundred(b *testing.B) {
	ex, err := New(Random(1), Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const total, batch = 100, 16
	x := tensor.New(tensor.WithShape(batch, 3, 224, 224), tensor.WithBacking(make([]float32, batch*3*224*224)))
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for range b.N {
		for done := 0; done < total; done += batch {
			n := min(batch, total-done)
			in := x
			if n < batch {
				in = tensor.New(tensor.WithShape(n, 3, 224, 224), tensor.WithBacking(x.Float32s()[:n*3*224*224]))
			}
			if _, err := ex.Features(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	}
	images := float64(b.N * total)
	b.ReportMetric(time.Since(start).Seconds()/images*1e3, "ms/image")
	b.ReportMetric((cpuTime()-cpu0).Seconds()/images*1e3, "cpu-ms/image")
	if kb := peakRSSKiB(); kb > 0 {
		b.ReportMetric(float64(kb)/1024, "peak-MiB")
	}
}

// peakRSSKiB reads VmHWM from /proc/self/status; 0 if unavailable.
func peakRSSKiB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb
		}
	}
	return 0
}
