package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/discover"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/model/predictor/predictortest"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/testbin"
	"github.com/svgai/svgai/shared/vtracer"
)

// buildPlugin builds the real svgai-plugin-quality binary.
func buildPlugin(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := testbin.Build(dir, "svgai-plugin-quality"); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "svgai-plugin-quality")
}

// settings runs bin, pinned to its checksum, on the model directory.
func settings(bin, model string) config.Plugin {
	s := config.DefaultPlugin()
	s.Path, s.Args = bin, []string{"--model", model}
	s.SHA256, _ = discover.FileSHA256(bin)
	s.CallTimeout = config.Duration{Duration: 30 * time.Second}
	return s
}

// TestRPCEqualsInProcess runs host + the real plugin + a small trained
// model and checks that predictions through RPC equal in-process ones.
func TestRPCEqualsInProcess(t *testing.T) {
	bin := buildPlugin(t)
	tiny := predictortest.NewTiny(t, "../../testdata/icons")
	ctx := context.Background()

	m, err := predictor.LoadModel(tiny.Dir)
	if err != nil {
		t.Fatal(err)
	}
	local, err := predictor.NewPredictor(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	host := supervisor.New(settings(bin, tiny.Dir), supervisor.Options{})
	defer host.Close()

	info, err := host.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "svgai-plugin-quality" || info.FeatureExtractorID != m.Meta.ExtractorID || info.Untrained || !strings.HasSuffix(info.ModelID, "/random-resnet50") {
		t.Errorf("Info = %+v", info)
	}
	params := vtracer.LatinHypercube(16, 5)
	for key, img := range tiny.Images {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(buf.Bytes())
		sha := hex.EncodeToString(sum[:])
		remote, err := host.Predict(ctx, predict.Image{SHA256: sha, Data: buf.Bytes()}, params)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		want, err := local.Predict(ctx, img, sha, params)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if math.Abs(remote[i].SSIM-want[i].SSIM) > 1e-9 || math.Abs(remote[i].Uncertainty-want[i].Uncertainty) > 1e-9 {
				t.Fatalf("%s set %d: RPC %+v, in process %+v", key, i, remote[i], want[i])
			}
		}
		// The second call for the same image goes by hash alone.
		if _, err := host.Predict(ctx, predict.Image{SHA256: sha}, params[:1]); err != nil {
			t.Errorf("%s by hash: %v", key, err)
		}
	}
}

func TestMissingModelIsUnavailable(t *testing.T) {
	bin := buildPlugin(t)
	host := supervisor.New(settings(bin, filepath.Join(t.TempDir(), "none")), supervisor.Options{})
	defer host.Close()
	sum := sha256.Sum256([]byte("x"))
	_, err := host.Predict(context.Background(), predict.Image{SHA256: hex.EncodeToString(sum[:]), Data: []byte("x")}, vtracer.LatinHypercube(1, 1))
	if !errors.Is(err, supervisor.ErrUnavailable) || !strings.Contains(err.Error(), "model.json") {
		t.Errorf("err = %v, want ErrUnavailable naming the missing model.json", err)
	}
}

func TestChecksumMismatchRefused(t *testing.T) {
	bin := buildPlugin(t)
	s := settings(bin, t.TempDir())
	s.SHA256 = strings.Repeat("ab", 32)
	host := supervisor.New(s, supervisor.Options{})
	defer host.Close()
	_, err := host.Predict(context.Background(), predict.Image{SHA256: strings.Repeat("0", 64), Data: []byte("x")}, vtracer.LatinHypercube(1, 1))
	if supervisor.FallbackReason(err) != supervisor.ReasonChecksum || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("err = %v (reason %q), want a checksum refusal", err, supervisor.FallbackReason(err))
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatal(err)
	}
}
