package supervisor

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/shared/testbin"
)

// testPlugin is the path of plugin/testplugin built for this test run.
var testPlugin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "svgai-plugin-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testPlugin = filepath.Join(dir, "svgai-plugin-test")
	err = testbin.Build(dir, "svgai-plugin-test") // pinned the way `make build` pins bin/svgai-plugin-quality
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer is a log sink safe for the concurrent writers go-plugin uses.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testLogger returns a logger writing to a buffer (and, with -v, to the test
// log's stderr).
func testLogger(t *testing.T) (hclog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Debug, Output: buf}), buf
}

// testSettings returns fast settings for the test plugin.
func testSettings(env ...string) config.Plugin {
	s := config.DefaultPlugin()
	s.Path = testPlugin
	s.Env = env
	s.HealthInterval = config.Duration{Duration: 0}
	s.BackoffInitial = config.Duration{Duration: 20e6} // 20 ms
	s.BackoffMax = config.Duration{Duration: 200e6}
	return s
}
