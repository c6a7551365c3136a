package deploy

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svgai/svgai/shared/testbin"
)

// The binaries the image holds (make build's bin/), built once by TestMain
// from this checkout, so that the manifests are checked against the flags
// the code really has.
var (
	binDir   string
	buildErr error
	helpMu   sync.Mutex
	helpSeen = map[string]map[string]bool{}
)

// imageBinaries are the commands the Dockerfile installs.
var imageBinaries = []string{"svgai", "svgai-plugin-quality", "svgai-tools"}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "svgai-deploy-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	buildErr = testbin.Build(dir, imageBinaries...)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// flagPattern finds a flag in help output: "  -name value" as Go's flag
// package prints it, or "  --name" / "  -n, --name" as other parsers do.
var flagPattern = regexp.MustCompile(`(?m)^\s{1,8}(?:-[A-Za-z0-9], )?--?([A-Za-z][A-Za-z0-9_.-]*)`)

// flagsOf runs `bin sub... -h` and returns the flags its help lists. A
// command's -h exits 0 (shared/cli); an unknown command exits 2 after the
// program's help, which is an error, as is no flags at all and a binary
// the image does not have.
func flagsOf(bin string, sub []string) (map[string]bool, error) {
	if buildErr != nil {
		return nil, buildErr
	}
	known := false
	for _, b := range imageBinaries {
		known = known || b == bin
	}
	if !known {
		return nil, fmt.Errorf("command %s: the image has %v", bin, imageBinaries)
	}
	key := bin + " " + strings.Join(sub, " ")
	helpMu.Lock()
	defer helpMu.Unlock()
	if f, ok := helpSeen[key]; ok {
		return f, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, bin), append(append([]string(nil), sub...), "-h")...)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "SVGAI_MODEL="+os.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("`%s -h`: %v (no such command?):\n%s", key, err, out)
	}
	flags := map[string]bool{}
	for _, m := range flagPattern.FindAllStringSubmatch(string(out), -1) {
		flags[m[1]] = true
	}
	if len(flags) == 0 {
		return nil, fmt.Errorf("`%s -h` lists no flags (no such command?):\n%s", key, out)
	}
	helpSeen[key] = flags
	return flags, nil
}

// TestFlagsOf checks the help parser on the binaries themselves: a real
// flag is found, an unknown command is an error.
func TestFlagsOf(t *testing.T) {
	f, err := flagsOf("svgai-tools", []string{"collect"})
	if err != nil || !f["shard"] || !f["out"] || f["nonsense"] {
		t.Fatalf("svgai-tools collect flags %v, %v", keys(f), err)
	}
	if _, err := flagsOf("svgai-tools", []string{"no-such-command"}); err == nil {
		t.Error("an unknown command listed flags")
	}
	if _, err := flagsOf("sh", nil); err == nil {
		t.Error("a binary the image lacks was accepted")
	}
}
