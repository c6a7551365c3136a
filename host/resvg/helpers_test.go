package resvg

import (
	"context"
	"sync"
	"testing"
)

// shared compiles the module once per test binary: compiling takes about
// two seconds.
var shared = sync.OnceValues(func() (*Renderer, error) {
	return New(context.Background(), Options{})
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
