package resvg

import (
	"context"
	"os"
	"sync"
	"testing"
)

// testCacheDir is a compilation cache shared by the test binary's
// renderers: compiling the module takes about two seconds, loading it
// from the cache a tenth of that.
var testCacheDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "resvg-test-cache-")
	if err != nil {
		panic(err)
	}
	testCacheDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// shared is the test binary's Renderer.
var shared = sync.OnceValues(func() (*Renderer, error) {
	return New(context.Background(), Options{CacheDir: testCacheDir})
})

// sharedRenderer returns the test binary's Renderer; tests must not close it.
func sharedRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := shared()
	if err != nil {
		t.Fatalf("%v (run `make setup`)", err)
	}
	return r
}
