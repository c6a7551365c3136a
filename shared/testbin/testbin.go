// Package testbin builds the repository's commands for end-to-end tests:
// once per test binary, into a temporary directory, with the plugin pinned
// as `make build` pins it (bin/svgai-plugin-quality.sha256), so that tests
// run the binaries users run; and starts `svgai serve` for them.
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
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Commands are the repository's main packages, by binary name.
var Commands = map[string]string{
	"svgai":                "github.com/svgai/svgai/host/cmd/svgai",
	"svgai-plugin-quality": "github.com/svgai/svgai/plugin/cmd/svgai-plugin-quality",
	"svgai-tools":          "github.com/svgai/svgai/tools/cmd/svgai-tools",
	"svgai-load":           "github.com/svgai/svgai/host/cmd/svgai-load",
}

// Build builds the named commands (all of Commands when none are named) into
// dir, pins the plugin when it is among them, and returns dir.
func Build(dir string, names ...string) error {
	if len(names) == 0 {
		for n := range Commands {
			names = append(names, n)
		}
	}
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	for _, n := range names {
		pkg, ok := Commands[n]
		if !ok {
			return fmt.Errorf("testbin: no command %q", n)
		}
		args = append(args, pkg)
	}
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("testbin: go build: %v\n%s", err, out)
	}
	plugin := filepath.Join(dir, "svgai-plugin-quality")
	data, err := os.ReadFile(plugin)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	return os.WriteFile(plugin+".sha256", []byte(hex.EncodeToString(sum[:])+"  svgai-plugin-quality\n"), 0o644)
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
