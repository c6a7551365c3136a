package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestErrors checks every error status: the code, a message naming what was
// wrong, and the body against the OpenAPI document.
func TestErrors(t *testing.T) {
	cfg := testConfig(t, false)
	cfg.Input.MaxPixels = 20_000 // the 250×175 flag is over it; 64 px emoji are not
	srv, ts := newTestServer(t, cfg, Options{MaxBodyBytes: 64 << 10, Concurrency: 1, QueueTimeout: 50 * time.Millisecond})
	s := loadSpec(t)
	png := string(icon(t, "twemoji-1f34e.png"))
	mp := func(parts ...string) (string, []byte) { return multipartBody(t, parts...) }
	withOpts := func(opts string) (string, []byte) { return mp("image", png, "options", opts) }

	type req struct {
		method, path, ctype string
		body                []byte
	}
	post := func(path string, ctype string, body []byte) req { return req{"POST", path, ctype, body} }
	postMP := func(path string) func(ctype string, body []byte) req {
		return func(ctype string, body []byte) req { return post(path, ctype, body) }
	}
	conv, pred, opt := postMP("/v1/convert"), postMP("/v1/predict"), postMP("/v1/optimize")
	for _, tc := range []struct {
		name   string
		req    req
		status int
		code   string
		msg    string // a substring the message must contain
	}{
		{"param out of range", conv(withOpts(`{"params":{"filter_speckle":99}}`)), 400, "invalid_parameter",
			"params.filter_speckle = 99 out of range (allowed: 1 to 16)"},
		{"param wrong type", conv(withOpts(`{"params":{"corner_threshold":"x"}}`)), 400, "invalid_parameter", "corner_threshold"},
		{"unknown param", conv(withOpts(`{"params":{"speckle":2}}`)), 400, "invalid_parameter", `unknown parameter "speckle"`},
		{"unknown preset", conv(withOpts(`{"preset":"nope"}`)), 400, "invalid_parameter", `preset: unknown preset "nope"`},
		{"unknown option", conv(withOpts(`{"presets":"bw"}`)), 400, "invalid_request", `unknown field "presets"`},
		{"option wrong type", opt(withOpts(`{"target_ssim":"high"}`)), 400, "invalid_request", "options.target_ssim"},
		{"options not JSON", conv(withOpts(`{preset:`)), 400, "invalid_request", "options:"},
		{"query param out of range", post("/v1/convert?params={\"mode\":\"curvy\"}", "image/png", []byte(png)), 400, "invalid_parameter", "params.mode"},
		{"params not an object", post("/v1/convert?params=abc", "image/png", []byte(png)), 400, "invalid_parameter", "params: want a JSON object"},
		{"predict params not objects", pred(withOpts(`{"params":[3]}`)), 400, "invalid_parameter", "params[0]: want a JSON object"},
		{"query key twice", post("/v1/convert?preset=bw&preset=poster", "image/png", []byte(png)), 400, "invalid_request", `"preset" given 2 times`},
		{"predict param", pred(withOpts(`{"params":[{},{"path_precision":-1}]}`)), 400, "invalid_parameter", "params[1].path_precision = -1"},
		{"predict no params", pred(withOpts(`{}`)), 400, "invalid_request", "options.params"},
		{"target out of range", opt(withOpts(`{"target_ssim":1.5}`)), 400, "invalid_request", "options.target_ssim = 1.5"},
		{"max conversions", opt(withOpts(`{"max_conversions":0}`)), 400, "invalid_request", "options.max_conversions = 0"},
		{"missing image", conv(mp("options", `{}`)), 400, "missing_image", `"image"`},
		{"unknown part", conv(mp("image", png, "picture", png)), 400, "invalid_request", `"picture"`},
		{"body too large", conv("image/png", append([]byte(png), make([]byte, 100<<10)...)), 413, "body_too_large", "65536 bytes"},
		{"multipart too large", conv(mp("image", png+strings.Repeat("x", 100<<10))), 413, "body_too_large", "65536"},
		{"too many pixels", conv("image/png", icon(t, "flag-br.png")), 413, "image_too_large", "too large"},
		{"not an image", conv("text/plain", []byte("hello, world")), 415, "not_an_image", "not a PNG or JPEG"},
		{"empty body", opt("image/png", nil), 415, "not_an_image", "empty"},
		{"truncated png", conv("image/png", []byte(png[:len(png)/2])), 422, "corrupt_image", "truncated"},
		{"wrong method", req{"GET", "/v1/convert", "", nil}, 405, "method_not_allowed", "use POST"},
		{"no such route", req{"GET", "/v2/convert", "", nil}, 404, "not_found", "/v2/convert"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.req.method, ts.URL+tc.req.path, tc.req.ctype, tc.req.body)
			if r.status != tc.status || field(r.body, "error.code") != tc.code {
				t.Fatalf("got %d %s, want %d %s", r.status, r.raw, tc.status, tc.code)
			}
			if msg, _ := field(r.body, "error.message").(string); !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q lacks %q", msg, tc.msg)
			}
			if tc.status == 404 || tc.status == 405 { // undocumented routes or methods: the generic error
				if err := s.validate(map[string]any{"$ref": "#/components/schemas/Error"}, r.body, "response"); err != nil {
					t.Error(err)
				}
				return
			}
			checkSpec(t, s, tc.req.method, tc.req.path[:strings.IndexAny(tc.req.path+"?", "?")], r)
		})
	}

	t.Run("busy", func(t *testing.T) {
		release, err := srv.slots.acquire(context.Background(), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		r := do(t, "POST", ts.URL+"/v1/convert", "image/png", []byte(png))
		release()
		if r.status != 503 || field(r.body, "error.code") != "busy" || r.header.Get("Retry-After") == "" {
			t.Fatalf("got %d %s, want 503 busy with Retry-After", r.status, r.raw)
		}
		checkSpec(t, s, "POST", "/v1/convert", r)
		if r := do(t, "POST", ts.URL+"/v1/convert", "image/png", []byte(png)); r.status != 200 {
			t.Errorf("after release: %d %s", r.status, r.raw)
		}
	})
}

// TestTracerClosed checks the one case where conversion itself is
// impossible: 503 for work, 503 "unavailable" from /v1/health.
func TestTracerClosed(t *testing.T) {
	srv, ts := newTestServer(t, testConfig(t, false), Options{})
	s := loadSpec(t)
	srv.eng.Close()
	r := do(t, "POST", ts.URL+"/v1/convert", "image/png", icon(t, "flag-jp.png"))
	if r.status != http.StatusServiceUnavailable || field(r.body, "error.code") != "tracer_unavailable" {
		t.Errorf("convert: %d %s", r.status, r.raw)
	}
	checkSpec(t, s, "POST", "/v1/convert", r)
	r = do(t, "GET", ts.URL+"/v1/health", "", nil)
	if r.status != http.StatusServiceUnavailable || field(r.body, "status") != "unavailable" || field(r.body, "tracer.ok") != false {
		t.Errorf("health: %d %s", r.status, r.raw)
	}
	checkSpec(t, s, "GET", "/v1/health", r)
}
