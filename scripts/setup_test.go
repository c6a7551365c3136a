package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTools writes a dpkg-query that reports the installed packages it is
// given, and an apt-get that records its arguments, into a folder.
func fakeTools(t *testing.T, installed ...string) (dir, log string) {
	t.Helper()
	dir = t.TempDir()
	log = filepath.Join(dir, "apt.log")
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("dpkg-query", `pkg=$3
for p in `+strings.Join(installed, " ")+`; do [ "$p" = "$pkg" ] && { printf 'install ok installed'; exit 0; }; done
echo "dpkg-query: no packages found matching $pkg" >&2; exit 1
`)
	write("apt-get", `echo "$@" >> `+log+"\n")
	return dir, log
}

// setup runs setup-system.sh with the fakes, a package list and a uid.
func setup(t *testing.T, tools, list, uid string, args ...string) (string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "apt-packages")
	if err := os.WriteFile(path, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("./setup-system.sh", args...)
	cmd.Env = append(os.Environ(), "APT_PACKAGES="+path, "DPKG_QUERY="+filepath.Join(tools, "dpkg-query"),
		"APT_GET="+filepath.Join(tools, "apt-get"), "SETUP_UID="+uid)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

const list = `# comment
libhdf5-dev
libopenblas-dev
nodejs sh
npm no-such-command-xyz
`

func TestSetupSystem(t *testing.T) {
	t.Run("all installed", func(t *testing.T) {
		tools, log := fakeTools(t, "libhdf5-dev", "libopenblas-dev", "npm")
		if out, err := setup(t, tools, list, "0"); err != nil || out != "" {
			t.Errorf("%v: %s", err, out)
		}
		if _, err := os.Stat(log); err == nil {
			t.Error("apt-get ran with nothing missing")
		}
	})
	t.Run("root installs what is missing", func(t *testing.T) {
		tools, log := fakeTools(t, "libhdf5-dev")
		if out, err := setup(t, tools, list, "0"); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		got, _ := os.ReadFile(log)
		// nodejs is skipped: its command (sh here) is on PATH.
		want := "update -qq\ninstall -y --no-install-recommends libopenblas-dev npm -qq\n"
		if string(got) != want {
			t.Errorf("apt-get ran with\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("not root: the command to run", func(t *testing.T) {
		tools, log := fakeTools(t)
		out, err := setup(t, tools, list, "1000")
		if err == nil || !strings.Contains(out, "sudo "+filepath.Join(tools, "apt-get")+" install -y --no-install-recommends libhdf5-dev libopenblas-dev npm") {
			t.Errorf("%v: %s", err, out)
		}
		if _, err := os.Stat(log); err == nil {
			t.Error("apt-get ran without root")
		}
	})
	t.Run("check and dry run", func(t *testing.T) {
		tools, log := fakeTools(t, "libhdf5-dev", "npm")
		if out, err := setup(t, tools, list, "0", "--check"); err == nil || !strings.Contains(out, "missing Debian packages: libopenblas-dev") {
			t.Errorf("--check: %v: %s", err, out)
		}
		if out, err := setup(t, tools, list, "0", "--dry-run"); err != nil || !strings.Contains(out, "install -y --no-install-recommends libopenblas-dev") {
			t.Errorf("--dry-run: %v: %s", err, out)
		}
		if _, err := os.Stat(log); err == nil {
			t.Error("apt-get ran in --check or --dry-run")
		}
	})
}

// TestAptPackagesListed: the real list parses and names what make test
// needs on this machine (checked without installing anything).
func TestAptPackagesListed(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", ".ci", "apt-packages"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nlibhdf5-dev\n", "\nlibopenblas-dev\n", "\nnodejs node\n", "\nnpm npm\n", "\nzsh\n", "\nfish\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf(".ci/apt-packages lacks %q", strings.TrimSpace(want))
		}
	}
	if out, err := exec.Command("./setup-system.sh", "--check").CombinedOutput(); err != nil {
		t.Errorf("this machine lacks packages make test needs: %s", out)
	}
}
