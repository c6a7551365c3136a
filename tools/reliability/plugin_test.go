package reliability

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/draw"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/model/predictor/predictortest"
	"github.com/svgai/svgai/shared/imageio/imageiotest"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// startPlugin runs the real plugin binary (pinned by its .sha256) on the
// model directory under the host's own supervisor, the way svgai does.
func startPlugin(t *testing.T, model string) (*supervisor.Predictor, int) {
	t.Helper()
	s := config.DefaultPlugin()
	s.Path = filepath.Join(bin, "svgai-plugin-quality")
	s.Args = []string{"--model", model}
	s.CallTimeout = config.Duration{Duration: 60 * time.Second}
	p := supervisor.New(s, supervisor.Options{})
	t.Cleanup(func() { p.Close() })
	if err := p.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p, p.Status().Pid
}

// image of the file's bytes, as the host sends it.
func imageOf(data []byte) predict.Image {
	sum := sha256.Sum256(data)
	return predict.Image{SHA256: hex.EncodeToString(sum[:]), Data: data}
}

// scaled is a real icon scaled to n×n, encoded as PNG: an image the size of
// a large logo with a logo's content.
func scaled(t *testing.T, name string, n int) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join(icons, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, n, n))
	draw.BiLinear.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	if err := png.Encode(&buf, dst); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPluginMemory sends the plugin what its host would refuse (the bombs),
// then images just within its budget per image, three at once, and
// measures its peak RSS (issue 14, item 1: three bombs took it to 7.1 GB).
func TestPluginMemory(t *testing.T) {
	tiny := predictortest.NewTiny(t, icons)
	p, pid := startPlugin(t, tiny.Dir)
	params := vtracer.LatinHypercube(16, 3)
	if _, err := p.Predict(context.Background(), imageOf(scaled(t, "flag-jp.png", 64)), params); err != nil {
		t.Fatal(err)
	}
	_, base := memory(t, pid)
	figure(t, "plugin peak RSS after start-up and one prediction (direct)", "%.0f MiB", base)

	var wg sync.WaitGroup
	errs := make([]error, 3)
	start := time.Now()
	for i := range errs {
		wg.Go(func() { _, errs[i] = p.Predict(context.Background(), imageOf(imageiotest.Bomb(byte(i))), params) })
	}
	wg.Wait()
	for i, err := range errs {
		if predict.ErrorCode(err) != predict.CodeTooLarge || !strings.Contains(err.Error(), "over the quality predictor's limit of 384 MiB per image") {
			t.Errorf("bomb %d: %v, want CodeTooLarge naming the limit", i, err)
		}
	}
	_, peak := memory(t, pid)
	figure(t, "plugin peak RSS after 3 PNG bombs sent to it directly", "%.0f MiB; each refused from its header (CodeTooLarge), %v for all three with their generation",
		peak, time.Since(start).Round(time.Millisecond))

	// 760×760 is just within the 384 MiB per image on two CPUs.
	names := []string{"flag-br.png", "twemoji-1f600.png", "tabler-home.png"}
	start = time.Now()
	for i, name := range names {
		wg.Go(func() { _, errs[i] = p.Predict(context.Background(), imageOf(scaled(t, name, 760)), params) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("760 px image %d: %v", i, err)
		}
	}
	_, peak = memory(t, pid)
	figure(t, "plugin peak RSS after 3 parallel predictions of 760×760 images (each near its 384 MiB per image)", "%.0f MiB (%v)",
		peak, time.Since(start).Round(time.Millisecond))
	if peak > peakLimitMiB {
		t.Errorf("plugin peak RSS %.0f MiB, over %d MiB", peak, peakLimitMiB)
	}
}

// TestPluginStopsWhenTheHostGivesUp: a prediction whose caller's deadline
// passes stops in the plugin, not only in the host (issue 14, item 1: the
// plugin kept working after the server had given up), and leaves nothing
// cached for its image.
func TestPluginStopsWhenTheHostGivesUp(t *testing.T) {
	t.Parallel() // mostly waiting, or measuring one process
	tiny := predictortest.NewTiny(t, icons)
	p, pid := startPlugin(t, tiny.Dir)
	params := vtracer.LatinHypercube(64, 9)
	if _, err := p.Predict(context.Background(), imageOf(scaled(t, "flag-jp.png", 64)), params); err != nil {
		t.Fatal(err)
	}
	// How long the whole prediction takes, for comparison.
	full := imageOf(scaled(t, "flag-gb.png", 700))
	cpu0, start := cpuSeconds(t, pid), time.Now()
	if _, err := p.Predict(context.Background(), full, params); err != nil {
		t.Fatal(err)
	}
	whole, wholeCPU := time.Since(start), cpuSeconds(t, pid)-cpu0

	img := imageOf(scaled(t, "twemoji-1f680.png", 700))
	ctx, cancel := context.WithTimeout(context.Background(), whole/5)
	_, err := p.Predict(ctx, img, params)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("prediction past its deadline: %v", err)
	}
	// The CPU it uses from then on: had it gone on, about four fifths of
	// the whole prediction's. (The runtime's scavenger and a health check
	// take a few ticks of their own.)
	cpu1 := cpuSeconds(t, pid)
	time.Sleep(1500 * time.Millisecond)
	after := cpuSeconds(t, pid) - cpu1
	figure(t, "plugin CPU in the 1.5 s after the host gave up (a 700×700 prediction, 64 parameter sets, cancelled a fifth of the way)",
		"%.2f s; the whole prediction takes %.2f s CPU (%v)", after, wholeCPU, whole.Round(time.Millisecond))
	if after > max(0.25, 0.2*wholeCPU) {
		t.Errorf("the plugin used %.2f s of CPU in the 1.5 s after the caller gave up; the whole prediction takes %.2f s", after, wholeCPU)
	}
	img.Data = nil // by hash only: the cancelled image must not be cached
	if _, err := p.Predict(context.Background(), img, params[:1]); predict.ErrorCode(err) != predict.CodeNotFound {
		t.Errorf("the cancelled image by hash: %v, want CodeNotFound (nothing cached)", err)
	}
}
