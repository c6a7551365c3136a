// Package archtest checks the repository's layering rules against what
// `go list` reports, so that a dependency pointing the wrong way fails the
// build's tests rather than waiting for a reviewer (docs/architecture.md).
package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/svgai/svgai/"

// pkg is what go list reports of one package.
type pkg struct {
	ImportPath string
	Deps       []string
	CgoFiles   []string
}

// listAll returns every package of the module with its transitive deps.
func listAll(t *testing.T) map[string]pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json", "../../...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	all := map[string]pkg{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		all[strings.TrimPrefix(p.ImportPath, module)] = p
	}
	if len(all) < 20 {
		t.Fatalf("go list found only %d packages", len(all))
	}
	return all
}

// under reports whether path (module-relative) is dir or inside it.
func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }

func TestDependencyRules(t *testing.T) {
	all := listAll(t)
	rules := []struct {
		name   string
		from   func(string) bool // packages the rule constrains
		banned func(dep string) bool
	}{
		{"host never imports model", func(p string) bool { return under(p, "host") },
			func(d string) bool { return under(d, module+"model") }},
		{"model never imports host", func(p string) bool { return under(p, "model") },
			func(d string) bool { return under(d, module+"host") }},
		{"shared imports only shared", func(p string) bool { return under(p, "shared") },
			func(d string) bool { return strings.HasPrefix(d, module) && !under(d, module+"shared") }},
		{"nothing imports tools", func(p string) bool { return !under(p, "tools") },
			func(d string) bool { return under(d, module+"tools") }},
		{"a plain conversion links no plugin or gRPC code", func(p string) bool { return p == "host/convert" },
			func(d string) bool {
				return under(d, "github.com/hashicorp/go-plugin") || under(d, "google.golang.org/grpc") || under(d, module+"shared/predict")
			}},
		{"the plugin links no training code and no host code", func(p string) bool { return under(p, "plugin") && p != "plugin/testplugin" },
			func(d string) bool {
				for _, banned := range []string{"model/train", "model/fit", "model/loss", "model/tfevents", "model/hdf5store", "model/dataset", "model/featstore", "host"} {
					if under(d, module+banned) {
						return true
					}
				}
				return false
			}},
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			checked := 0
			for path, p := range all {
				if !r.from(path) {
					continue
				}
				checked++
				for _, d := range p.Deps {
					if r.banned(d) {
						t.Errorf("%s depends on %s", path, strings.TrimPrefix(d, module))
					}
				}
			}
			if checked == 0 {
				t.Fatal("the rule matched no package")
			}
		})
	}
}

// TestCgoStaysInWrappers keeps cgo in the packages that wrap C libraries
// (HDF5, BLAS), so that everything else builds and tests without them.
func TestCgoStaysInWrappers(t *testing.T) {
	allowed := []string{"model/hdf5store", "model/mlp", "model/resnet"}
	for path, p := range listAll(t) {
		if len(p.CgoFiles) > 0 && !slices.Contains(allowed, path) {
			t.Errorf("%s uses cgo (%s); only %v wrap C libraries", path, strings.Join(p.CgoFiles, ", "), allowed)
		}
	}
}
