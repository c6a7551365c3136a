package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/engine"
)

// icon reads one of the repository's real test icons.
func icon(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "icons", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// testConfig is the default configuration with prediction off (plugin
// disabled) or, with missing set, on but pointed at a plugin that does not
// exist, so the predictive arm must fall back. Either way a model directory
// is configured, so that tests that set a real plugin have one.
func testConfig(t testing.TB, missing bool) config.Config {
	cfg := config.Default()
	cfg.Tracer.Instances = 2
	cfg.Features.Prediction = missing
	if missing {
		cfg.Plugin.Path = filepath.Join(t.TempDir(), "svgai-plugin-missing")
	}
	cfg.Plugin.Model = t.TempDir()
	if err := os.WriteFile(filepath.Join(cfg.Plugin.Model, "model.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// newTestServer opens a real engine (the wasm tracer) with cfg and serves
// the API over it; both are closed when the test ends.
func newTestServer(t testing.TB, cfg config.Config, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	eng, err := engine.Open(context.Background(), cfg, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Version == "" {
		opts.Version = "test"
	}
	opts.MaxPixels = cfg.Input.MaxPixels
	s := New(eng, opts)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.Close()
		eng.Close()
	})
	return s, ts
}

// multipartBody builds a multipart/form-data body from (name, content)
// pairs; a part named "image" is sent as a file.
func multipartBody(t testing.TB, parts ...string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		var w io.Writer
		var err error
		if parts[i] == "image" {
			w, err = mw.CreateFormFile("image", "icon.png")
		} else {
			w, err = mw.CreateFormField(parts[i])
		}
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[i+1])
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

// response is a decoded API response.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   any // decoded JSON, when the response is JSON
}

// do sends a request and decodes the response.
func do(t testing.TB, method, url, ctype string, body []byte) response {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := response{status: resp.StatusCode, header: resp.Header}
	if r.raw, err = io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(r.raw, &r.body); err != nil {
			t.Fatalf("%s %s: response is not JSON: %v\n%s", method, url, err, r.raw)
		}
	}
	return r
}

// checkSpec validates r against the OpenAPI document's schema for its
// route, method and status.
func checkSpec(t testing.TB, s spec, method, path string, r response) {
	t.Helper()
	ctype, _, _ := strings.Cut(r.header.Get("Content-Type"), ";")
	schema, err := s.responseSchema(path, method, r.status, ctype)
	if err != nil {
		t.Errorf("%v\n%s", err, r.raw)
		return
	}
	body := r.body
	if ctype != "application/json" {
		body = string(r.raw)
	}
	if err := s.validate(schema, body, "response"); err != nil {
		t.Errorf("%s %s %d does not match the OpenAPI document: %v\n%.600s", method, path, r.status, err, r.raw)
	}
}

// field returns the value at a dotted path in decoded JSON.
func field(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
