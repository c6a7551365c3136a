// Package testbin builds the repository's commands for end-to-end tests:
// once per test binary, into a temporary directory, with the plugin pinned
// as `make build` pins it (bin/svgai-plugin-quality.sha256), so that tests
// run the binaries users run; and starts `svgai serve` for them. Under
// `make cover` (CoverEnv set) the commands are built with -cover and count
// towards the packages' coverage.
package testbin

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// CoverEnv names the directory, set by `make cover`, where the commands
// built for tests record their coverage.
const CoverEnv = "SVGAI_TESTBIN_COVERDIR"

// Commands are the repository's main packages, by binary name.
var Commands = map[string]string{
	"svgai":                "github.com/svgai/svgai/host/cmd/svgai",
	"svgai-plugin-quality": "github.com/svgai/svgai/plugin/cmd/svgai-plugin-quality",
	"svgai-tools":          "github.com/svgai/svgai/tools/cmd/svgai-tools",
	"svgai-load":           "github.com/svgai/svgai/host/cmd/svgai-load",
	// The arithmetic plugin that host tests run through the real
	// handshake (not built unless named).
	"svgai-plugin-test": "github.com/svgai/svgai/plugin/testplugin",
}

// Build builds the named commands (all of Commands when none are named) into
// dir, pins the plugin when it is among them, and returns dir.
func Build(dir string, names ...string) error {
	if len(names) == 0 {
		for n := range Commands {
			if n != "svgai-plugin-test" {
				names = append(names, n)
			}
		}
	}
	flags := []string{"build"}
	if d := os.Getenv(CoverEnv); d != "" {
		// make cover: the commands record what they run in d. (go test sets
		// GOCOVERDIR for the test binary itself; the commands it starts
		// inherit this one.)
		flags = append(flags, "-cover", "-coverpkg=github.com/svgai/svgai/...")
		os.Setenv("GOCOVERDIR", d)
	}
	for _, n := range names {
		pkg, ok := Commands[n]
		if !ok {
			return fmt.Errorf("testbin: no command %q", n)
		}
		args := append(slices.Clone(flags), "-o", filepath.Join(dir, n), pkg)
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("testbin: go build %s: %v\n%s", n, err, out)
		}
	}
	for _, n := range names {
		if strings.HasPrefix(n, "svgai-plugin-") {
			if err := pin(filepath.Join(dir, n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// pin writes the plugin's checksum file beside it, as `make build` does.
func pin(plugin string) error {
	data, err := os.ReadFile(plugin)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	return os.WriteFile(plugin+".sha256", []byte(hex.EncodeToString(sum[:])+"  "+filepath.Base(plugin)+"\n"), 0o644)
}

// Once builds every command once per process, into a directory removed by
// Cleanup; every caller gets the same directory (or the same error).
type Once struct {
	once sync.Once
	dir  string
	err  error
}

// Dir returns the directory holding the built commands, building them on
// the first call.
func (o *Once) Dir() (string, error) {
	o.once.Do(func() {
		if o.dir, o.err = os.MkdirTemp("", "svgai-testbin-"); o.err == nil {
			o.err = Build(o.dir)
		}
	})
	return o.dir, o.err
}

// Cleanup removes the directory, if it was made (call it from TestMain).
func (o *Once) Cleanup() {
	if o.dir != "" {
		os.RemoveAll(o.dir)
	}
}

// Env is a minimal environment for a command a test runs: vars, and
// GOCOVERDIR when `make cover` set it, so that the command still records
// its coverage (and does not warn that it cannot).
func Env(vars ...string) []string {
	if d := os.Getenv(CoverEnv); d != "" {
		vars = append(vars, "GOCOVERDIR="+d)
	}
	return vars
}

// Serve starts cmd, an `svgai serve --addr 127.0.0.1:0 ...` whose working
// directory, environment and standard error the caller has set, reads the
// address it listens on from its first line of output, and stops it when
// the test ends (SIGTERM, SIGKILL after 20 s). It returns the server's
// base URL, http://127.0.0.1:PORT.
func Serve(t testing.TB, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		t.Fatal("svgai serve printed nothing")
	}
	_, url, ok := strings.Cut(sc.Text(), "listening on ")
	if !ok {
		t.Fatalf("svgai serve: %q", sc.Text())
	}
	go io.Copy(io.Discard, out)
	return url
}
