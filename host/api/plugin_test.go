package api

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/discover"
	"github.com/svgai/svgai/shared/testbin"
)

// TestWithPlugin runs the API with a real plugin process: plugin/testplugin,
// which serves arithmetic "predictions" through the real handshake and gRPC
// transport. Predictions are served, and health, version and metrics see
// the plugin.
func TestWithPlugin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a plugin binary")
	}
	dir := t.TempDir()
	if err := testbin.Build(dir, "svgai-plugin-test"); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "svgai-plugin-test")
	cfg := testConfig(t, true)
	cfg.Plugin.Path = bin
	sum, err := discover.FileSHA256(bin)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Plugin.SHA256 = sum
	cfg.Plugin.CallTimeout = config.Duration{Duration: 30 * time.Second}
	srv, ts := newTestServer(t, cfg, Options{})
	s := loadSpec(t)
	png := icon(t, "twemoji-2764-fe0f.png")

	ctype, body := multipartBody(t, "image", string(png), "options", `{"params":[{},{"mode":"polygon"},{"color_precision":3}]}`)
	r := do(t, "POST", ts.URL+"/v1/predict", ctype, body)
	if r.status != 200 {
		t.Fatalf("predict: %d %s", r.status, r.raw)
	}
	checkSpec(t, s, "POST", "/v1/predict", r)
	preds, _ := field(r.body, "predictions").([]any)
	if len(preds) != 3 || field(r.body, "model.name") != "svgai-testplugin" || field(r.body, "model.untrained") != true {
		t.Errorf("predict response %s", r.raw)
	}
	if field(preds[1], "params.mode") != "polygon" || field(preds[2], "params.color_precision") != 3.0 {
		t.Errorf("predictions do not echo their parameters in order: %s", r.raw)
	}

	r = do(t, "POST", ts.URL+"/v1/optimize?target_ssim=0.9", "image/png", png)
	if r.status != 200 || field(r.body, "arm") != "predictive" {
		t.Fatalf("optimize: %d %.300s", r.status, r.raw)
	}
	checkSpec(t, s, "POST", "/v1/optimize", r)

	for _, c := range []struct{ path, key, want string }{
		{"/v1/health", "plugin.state", "serving"},
		{"/v1/version", "plugin.name", "svgai-testplugin"},
	} {
		r := do(t, "GET", ts.URL+c.path, "", nil)
		checkSpec(t, s, "GET", c.path, r)
		if got := field(r.body, c.key); got != c.want {
			t.Errorf("%s: %s = %v, want %q", c.path, c.key, got, c.want)
		}
	}
	var m bytes.Buffer
	srv.Metrics().WriteTo(&m)
	for _, want := range []string{"svgai_plugin_healthy 1", "svgai_predictions_total 3"} {
		if !strings.Contains(m.String(), want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
}
