package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestServes checks every embedded file's type and headers, revalidation
// by ETag, and 404 for what is not there.
func TestServes(t *testing.T) {
	h := Handler()
	for _, tc := range []struct{ path, ctype, contains string }{
		{"/", "text/html; charset=utf-8", `<script type="module" src="/static/js/main.js">`},
		{"/static/js/main.js", "text/javascript; charset=utf-8", "import"},
		{"/static/style.css", "text/css; charset=utf-8", "light-dark("},
		{"/static/favicon.svg", "image/svg+xml", "<svg"},
	} {
		rec := get(t, h, tc.path)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != tc.ctype || !strings.Contains(rec.Body.String(), tc.contains) {
			t.Errorf("%s: %d %q, body contains %q: %v", tc.path, rec.Code, rec.Header().Get("Content-Type"), tc.contains, strings.Contains(rec.Body.String(), tc.contains))
		}
		for k, want := range map[string]string{"Content-Security-Policy": ContentSecurityPolicy, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"} {
			if got := rec.Header().Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", tc.path, k, got, want)
			}
		}
		etag := rec.Header().Get("ETag")
		if again := get(t, h, tc.path, "If-None-Match", etag); etag == "" || again.Code != http.StatusNotModified {
			t.Errorf("%s: ETag %q, revalidation %d, want 304", tc.path, etag, again.Code)
		}
	}
	for _, p := range []string{"/static/", "/static/nope.js", "/static/js/", "/index.html", "/static/../web.go"} {
		if rec := get(t, h, p); rec.Code != http.StatusNotFound || rec.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s: %d, want 404 with the policy", p, rec.Code)
		}
	}
}

// TestReferencesResolve checks that every file index.html names and every
// module a module imports is served, and that nothing names another host.
func TestReferencesResolve(t *testing.T) {
	h := Handler()
	ref := regexp.MustCompile(`(?:src|href)="([^"]+)"|from '([^']+)'|import\('([^']+)'\)`)
	offsite := regexp.MustCompile(`https?://|//[a-z]`)
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := static.ReadFile(p)
		text := string(data)
		if _, ok := contentTypes[path.Ext(p)]; !ok {
			t.Errorf("%s: embedded but not served (extension %q)", p, path.Ext(p))
		}
		for _, m := range ref.FindAllStringSubmatch(text, -1) {
			target := m[1] + m[2] + m[3]
			if !strings.HasPrefix(target, "/") {
				target = path.Join("/", path.Dir(p), target)
			}
			if rec := get(t, h, target); rec.Code != 200 {
				t.Errorf("%s names %s: %d", p, target, rec.Code)
			}
		}
		for _, line := range strings.Split(text, "\n") {
			if offsite.MatchString(line) && !strings.Contains(line, "http://www.w3.org/2000/svg") {
				t.Errorf("%s names another host: %s", p, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestModules runs the unit tests of the page's pure modules under Node
// (testdata/units.test.mjs).
func TestModules(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is missing: make test's set-up installs it (Debian nodejs)")
	}
	if out, err := exec.Command(node, "--test", "testdata/").CombinedOutput(); err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
}
