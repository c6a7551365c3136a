package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestEndpoints exercises every endpoint's success path against the real
// wasm tracer with prediction turned off, checking each response against
// the OpenAPI document.
func TestEndpoints(t *testing.T) {
	_, ts := newTestServer(t, testConfig(t, false), Options{})
	s := loadSpec(t)
	png := string(icon(t, "twemoji-1f600.png"))
	ctMulti := func(parts ...string) (string, []byte) { return multipartBody(t, parts...) }

	type check func(t *testing.T, body any)
	num := func(path string, want float64) check {
		return func(t *testing.T, body any) {
			if got, _ := field(body, path).(float64); got != want {
				t.Errorf("%s = %v, want %v", path, field(body, path), want)
			}
		}
	}
	str := func(path, want string) check {
		return func(t *testing.T, body any) {
			if got := field(body, path); got != want {
				t.Errorf("%s = %v, want %q", path, got, want)
			}
		}
	}
	svgMatches := func(t *testing.T, body any) {
		svg, _ := field(body, "svg").(string)
		if !strings.Contains(svg, "<svg") || field(body, "svg_bytes") != float64(len(svg)) {
			t.Errorf("svg_bytes = %v for %d bytes of svg %.60q", field(body, "svg_bytes"), len(svg), svg)
		}
	}
	faithful := func(path string, min float64) check {
		return func(t *testing.T, body any) {
			if got, _ := field(body, path).(float64); !(got >= min && got <= 1) {
				t.Errorf("%s = %v, want >= %v", path, field(body, path), min)
			}
		}
	}

	mpConvert, bConvert := ctMulti("image", png, "options", `{"preset":"poster","params":{"filter_speckle":2}}`)
	mpOpt, bOpt := ctMulti("options", `{"target_ssim":0.9,"max_conversions":6}`, "image", png)
	mpPred, bPred := ctMulti("image", png, "options", `{"params":[{},{"mode":"polygon"}]}`)
	for _, tc := range []struct {
		name, method, path, query, ctype string
		body                             []byte
		status                           int
		checks                           []check
	}{
		{"convert multipart", "POST", "/v1/convert", "", mpConvert, bConvert, 200, []check{
			num("params.filter_speckle", 2), num("params.color_precision", 8), num("width", 64), str("format", "png"),
			faithful("ssim", 0.8), svgMatches}},
		{"convert raw with query", "POST", "/v1/convert", "?preset=bw&params=%7B%22corner_threshold%22%3A90%7D", "image/png", []byte(png), 200, []check{
			str("params.colormode", "binary"), num("params.corner_threshold", 90), svgMatches}},
		{"convert raw defaults", "POST", "/v1/convert", "", "", []byte(png), 200, []check{
			num("params.filter_speckle", 4), str("params.mode", "spline"), svgMatches}},
		{"optimize multipart", "POST", "/v1/optimize", "", mpOpt, bOpt, 200, []check{
			str("arm", "classic"), num("target_ssim", 0.9), svgMatches, faithful("achieved_ssim", 0.5),
			func(t *testing.T, body any) {
				c, _ := field(body, "conversions").(float64)
				if c < 1 || c > 6 || field(body, "used_plugin") != false || field(body, "predicted_ssim") != nil {
					t.Errorf("conversions %v, used_plugin %v, predicted_ssim %v", c, field(body, "used_plugin"), field(body, "predicted_ssim"))
				}
				if met := field(body, "achieved_ssim").(float64) >= 0.9; field(body, "met_target") != met {
					t.Errorf("met_target = %v with achieved_ssim %v", field(body, "met_target"), field(body, "achieved_ssim"))
				}
			}}},
		{"optimize raw with query", "POST", "/v1/optimize", "?target_ssim=0.8", "application/octet-stream", []byte(png), 200, []check{
			num("target_ssim", 0.8), str("arm", "classic"), svgMatches}},
		{"predict without plugin", "POST", "/v1/predict", "", mpPred, bPred, 503, []check{
			str("error.code", "predictor_unavailable"),
			func(t *testing.T, body any) {
				if msg, _ := field(body, "error.message").(string); !strings.Contains(msg, "disabled") {
					t.Errorf("message %q does not say the predictor is disabled", msg)
				}
			}}},
		{"health", "GET", "/v1/health", "", "", nil, 200, []check{
			str("status", "ok"), str("plugin.state", "not_serving"), str("plugin.reason", "disabled")}},
		{"version", "GET", "/v1/version", "", "", nil, 200, []check{str("version", "test"), str("api", "v1")}},
		{"openapi", "GET", "/v1/openapi.json", "", "", nil, 200, []check{str("openapi", "3.0.3")}},
		{"parameters", "GET", "/v1/parameters", "", "", nil, 200, []check{
			num("candidates", 164), str("defaults.mode", "spline"),
			func(t *testing.T, body any) {
				ps, _ := field(body, "parameters").([]any)
				presets, _ := field(body, "presets").([]any)
				if len(ps) != 11 || field(ps[3], "name") != "filter_speckle" || field(ps[3], "maximum") != 16.0 || len(presets) != 7 {
					t.Errorf("parameters %v, presets %v", ps, presets)
				}
			}}},
		{"metrics", "GET", "/v1/metrics", "", "", nil, 200, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.method, ts.URL+tc.path+tc.query, tc.ctype, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %.400s", r.status, tc.status, r.raw)
			}
			checkSpec(t, s, tc.method, tc.path, r)
			for _, c := range tc.checks {
				c(t, r.body)
			}
		})
	}

	m := string(do(t, "GET", ts.URL+"/v1/metrics", "", nil).raw)
	for _, want := range []string{
		`svgai_http_requests_total{route="/v1/convert",code="200"} 3`,
		`svgai_http_requests_total{route="/v1/predict",code="503"} 1`,
		`svgai_http_request_duration_seconds_count{route="/v1/optimize"} 2`,
		`svgai_ab_optimizations_total{arm="classic"} 2`,
		`svgai_ab_optimizations_total{arm="predictive"} 0`,
		`svgai_fallbacks_total{reason="disabled"} 1`,
		`svgai_predictions_total 0`,
		`svgai_plugin_healthy 0`,
	} {
		if !strings.Contains(m, want+"\n") {
			t.Errorf("metrics lack %q:\n%s", want, m)
		}
	}
}

// TestOptimizeFallsBack points the plugin at a missing executable with
// prediction on: optimization still succeeds through the classic search and
// says why; prediction answers 503.
func TestOptimizeFallsBack(t *testing.T) {
	srv, ts := newTestServer(t, testConfig(t, true), Options{})
	s := loadSpec(t)
	png := icon(t, "tabler-home.png")
	r := do(t, "POST", ts.URL+"/v1/optimize?target_ssim=0.9", "image/png", png)
	if r.status != 200 {
		t.Fatalf("optimize: %d %s", r.status, r.raw)
	}
	checkSpec(t, s, "POST", "/v1/optimize", r)
	if field(r.body, "arm") != "predictive" || field(r.body, "used_plugin") != false || field(r.body, "fallback") != "missing" {
		t.Errorf("arm %v, used_plugin %v, fallback %v; want predictive, false, missing",
			field(r.body, "arm"), field(r.body, "used_plugin"), field(r.body, "fallback"))
	}
	r = do(t, "POST", ts.URL+`/v1/predict?params=[{}]`, "image/png", png)
	if r.status != http.StatusServiceUnavailable || field(r.body, "error.code") != "predictor_unavailable" {
		t.Errorf("predict: %d %s", r.status, r.raw)
	}
	checkSpec(t, s, "POST", "/v1/predict", r)
	if r.header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	var buf bytes.Buffer
	srv.Metrics().WriteTo(&buf)
	for _, want := range []string{`svgai_fallbacks_total{reason="missing"} 2`, `svgai_ab_optimizations_total{arm="predictive"} 1`,
		`svgai_ab_used_plugin_total{arm="predictive"} 0`} {
		if !strings.Contains(buf.String(), want+"\n") {
			t.Errorf("metrics lack %q:\n%s", want, buf.String())
		}
	}
}

// TestPageServed checks that the web page (host/web) is served at / and
// under /static/ beside the API, with its Content-Security-Policy, and
// that its 404s stay the API's JSON ones elsewhere.
func TestPageServed(t *testing.T) {
	_, ts := newTestServer(t, testConfig(t, false), Options{})
	for _, tc := range []struct {
		method, path string
		status       int
		ctype        string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8"},
		{"HEAD", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/static/js/api.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/static/nope.css", 404, "text/plain; charset=utf-8"},
		{"POST", "/", 404, "application/json"},
		{"GET", "/v2/nope", 404, "application/json"},
	} {
		r := do(t, tc.method, ts.URL+tc.path, "", nil)
		if r.status != tc.status || r.header.Get("Content-Type") != tc.ctype {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, r.status, r.header.Get("Content-Type"), tc.status, tc.ctype)
		}
		if csp := r.header.Get("Content-Security-Policy"); tc.status == 200 && !strings.HasPrefix(csp, "default-src 'self'") {
			t.Errorf("%s %s: Content-Security-Policy %q", tc.method, tc.path, csp)
		}
	}
}

// TestOpenAPIServed checks that the served document is the committed one.
func TestOpenAPIServed(t *testing.T) {
	_, ts := newTestServer(t, testConfig(t, false), Options{})
	r := do(t, "GET", ts.URL+"/v1/openapi.json", "", nil)
	if !bytes.Equal(r.raw, OpenAPI) || !json.Valid(r.raw) {
		t.Error("served OpenAPI document differs from the embedded one")
	}
}
