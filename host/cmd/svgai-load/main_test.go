package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoopbackURL(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.9.9.9:1/", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://example.com", false},
		{"https://127.0.0.1:8080", false},
		{"127.0.0.1:8080", false},
	} {
		if _, err := loopbackURL(tc.in); (err == nil) != tc.ok {
			t.Errorf("loopbackURL(%q) = %v, want ok %v", tc.in, err, tc.ok)
		}
	}
}

func TestQuantile(t *testing.T) {
	lat := make([]time.Duration, 100)
	for i := range lat {
		lat[i] = time.Duration(i+1) * time.Millisecond
	}
	for q, want := range map[float64]float64{0.5: 50, 0.9: 90, 0.99: 99, 1: 100, 0: 1} {
		if got := quantileMS(lat, q); got != want {
			t.Errorf("q%v = %v, want %v", q, got, want)
		}
	}
}

// TestRunAgainstStub runs a short load against a stub server that answers
// predict with 503 and optimize with 200, and checks the report counts them.
func TestRunAgainstStub(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.URL.Path == "/v1/predict" {
			if !strings.Contains(r.URL.RawQuery, "params=") {
				t.Errorf("predict without params: %s", r.URL)
			}
			w.WriteHeader(503)
			w.Write([]byte(`{"error":{"code":"predictor_unavailable","message":"x"}}`))
			return
		}
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	var out, errb bytes.Buffer
	img := filepath.Join("..", "..", "..", "testdata", "icons", "flag-jp.png")
	if code := app().Run(context.Background(), []string{"--url", srv.URL, "--image", img, "--clients", "3", "--duration", "200ms", "--json"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Endpoints) != 2 || rep.Endpoints[0].Endpoint != "predict" || rep.Endpoints[1].Endpoint != "optimize" {
		t.Fatalf("report %+v", rep)
	}
	p, o := rep.Endpoints[0], rep.Endpoints[1]
	if p.Errors != p.Requests || p.Statuses["503 predictor_unavailable"] != p.Requests || o.Errors != 0 ||
		int64(p.Requests+o.Requests) != n.Load() || o.Requests == 0 {
		t.Errorf("predict %+v, optimize %+v, server saw %d", p, o, n.Load())
	}
	for _, args := range [][]string{{"--image", img, "--url", "http://192.168.1.1:80"}, {"--image", img, "--clients", "1000"},
		{"--image", img, "--duration", "1h"}, {}, {"--clients", "2"}, {"stray", "--image", img}} {
		if code := app().Run(context.Background(), args, nil, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2 (usage)", args, code)
		}
	}
}

// TestHelpAndVersion: the conventions svgai and svgai-tools share.
func TestHelpAndVersion(t *testing.T) {
	for _, tt := range []struct {
		args         []string
		code         int
		out, errText string
	}{
		{[]string{"-h"}, 0, "usage: svgai-load --image FILE", ""},
		{[]string{"--version"}, 0, "svgai-load " + version, ""},
		{nil, 2, "", "usage: svgai-load --image FILE"},
		{[]string{"--image", "/no/such.png"}, 1, "", "no such file"},
	} {
		var out, errb bytes.Buffer
		code := app().Run(context.Background(), tt.args, nil, &out, &errb)
		if code != tt.code || !strings.Contains(out.String(), tt.out) || !strings.Contains(errb.String(), tt.errText) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", tt.args, code, out.String(), errb.String())
		}
	}
}
