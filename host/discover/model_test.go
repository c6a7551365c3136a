package discover

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/host/config"
)

// mkModel makes dir a model directory (model.json is all the search looks
// for) and returns it.
func mkModel(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ModelFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestModelSearchOrder builds a place for every rule and removes them one
// at a time, checking that the next rule in the documented order wins.
func TestModelSearchOrder(t *testing.T) {
	root := t.TempDir()
	t.Chdir(mkDirs(t, filepath.Join(root, "work")))
	flag := mkModel(t, filepath.Join(root, "flag"))
	env := mkModel(t, filepath.Join(root, "env"))
	cfgDir := mkDirs(t, filepath.Join(root, "etc"))
	cfgModel := mkModel(t, filepath.Join(cfgDir, "model"))
	argsModel := mkModel(t, filepath.Join(root, "args"))
	xdg := filepath.Join(root, "xdg")
	user := mkModel(t, filepath.Join(xdg, "svgai", "models", "v1"))
	if err := os.Symlink("v1", filepath.Join(xdg, "svgai", "models", "latest")); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(mkDirs(t, filepath.Join(root, "prefix", "bin")), "svgai")
	share := mkModel(t, filepath.Join(root, "prefix", "share", "svgai", "models", "latest"))
	beside := mkModel(t, filepath.Join(root, "prefix", "bin", "models", "latest"))
	work := mkModel(t, filepath.Join(root, "work", "models", "latest"))

	vars := map[string]string{ModelEnv: env, "XDG_DATA_HOME": xdg, "HOME": filepath.Join(root, "home")}
	q := ModelQuery{Flag: flag, ConfigFile: filepath.Join(cfgDir, "plugin.toml"),
		Plugin: config.Plugin{Model: "model", Args: []string{"--model", argsModel}},
		Getenv: func(k string) string { return vars[k] }, Executable: exe}
	steps := []struct {
		rule   Rule
		want   string
		remove func()
	}{
		{RuleFlag, flag, func() { q.Flag = "" }},
		{RuleEnv, env, func() { delete(vars, ModelEnv) }},
		{RuleConfig, cfgModel, func() { q.Plugin.Model = "" }},
		{RuleConfig, argsModel, func() { q.Plugin.Args = nil }},
		{RuleUser, user, func() { os.RemoveAll(xdg) }},
		{RuleBinDir, share, func() { os.RemoveAll(filepath.Join(root, "prefix", "share")) }},
		{RuleBinDir, beside, func() { os.RemoveAll(filepath.Join(root, "prefix", "bin", "models")) }},
		{RuleWorkDir, work, func() { os.RemoveAll(filepath.Join(root, "work", "models")) }},
	}
	for _, s := range steps {
		m, err := Model(q)
		if err != nil || m.Rule != s.rule || m.Dir != s.want {
			t.Fatalf("got %+v, %v; want %s from %s", m, err, s.want, s.rule)
		}
		s.remove()
	}
	_, err := Model(q)
	if !errors.Is(err, ErrNoModel) || !strings.Contains(err.Error(), filepath.Join(xdg, "svgai", "models", "latest")) {
		t.Errorf("nothing left: err = %v, want ErrNoModel listing the places looked at", err)
	}
}

// TestModelExplicitMustExist: a directory the user named that holds no
// model is an error naming the rule, not a reason to look elsewhere.
func TestModelExplicitMustExist(t *testing.T) {
	root := t.TempDir()
	good := mkModel(t, filepath.Join(root, "good"))
	vars := map[string]string{"XDG_DATA_HOME": root}
	mkModel(t, filepath.Join(root, "svgai", "models", "latest"))
	getenv := func(k string) string { return vars[k] }
	for _, tt := range []struct {
		q    ModelQuery
		env  string
		want string
	}{
		{ModelQuery{Flag: filepath.Join(root, "nope")}, "", "--model " + filepath.Join(root, "nope")},
		{ModelQuery{Flag: ""}, filepath.Join(root, "nope"), "$SVGAI_MODEL="},
		{ModelQuery{Plugin: config.Plugin{Model: "nope"}, ConfigFile: filepath.Join(root, "plugin.toml")}, "", "plugin.toml [plugin] model = nope"},
		{ModelQuery{Plugin: config.Plugin{Args: []string{"--model=" + filepath.Join(root, "nope")}}}, "", "[plugin] args --model"},
	} {
		vars[ModelEnv] = tt.env
		tt.q.Getenv = getenv
		m, err := Model(tt.q)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "not a model directory") {
			t.Errorf("%+v: got %+v, %v; want an error naming %q", tt.q, m, err, tt.want)
		}
	}
	vars[ModelEnv] = good
	if m, err := Model(ModelQuery{Getenv: getenv}); err != nil || m.Dir != good || m.Rule != RuleEnv {
		t.Errorf("env: %+v, %v", m, err)
	}
}

func TestUserModelsDir(t *testing.T) {
	for _, tt := range []struct{ xdg, home, want string }{
		{"/x/data", "/home/u", "/x/data/svgai/models"},
		{"", "/home/u", "/home/u/.local/share/svgai/models"},
		{"relative", "/home/u", "/home/u/.local/share/svgai/models"}, // XDG: relative values are ignored
	} {
		got, err := UserModelsDir(func(k string) string { return map[string]string{"XDG_DATA_HOME": tt.xdg, "HOME": tt.home}[k] })
		if err != nil || got != tt.want {
			t.Errorf("XDG_DATA_HOME=%q HOME=%q: %q, %v; want %q", tt.xdg, tt.home, got, err, tt.want)
		}
	}
}

func TestArgsModel(t *testing.T) {
	for _, tt := range []struct {
		args      []string
		model     string
		withModel string
	}{
		{nil, "", "--model /m"},
		{[]string{"--model", "a", "-x"}, "a", "-x --model /m"},
		{[]string{"-x", "--model=b"}, "b", "-x --model /m"},
		{[]string{"-model", "c"}, "c", "--model /m"},
		{[]string{"--model"}, "", "--model /m"},
	} {
		if got := ArgsModel(tt.args); got != tt.model {
			t.Errorf("ArgsModel(%q) = %q, want %q", tt.args, got, tt.model)
		}
		if got := strings.Join(WithModel(tt.args, "/m"), " "); got != tt.withModel {
			t.Errorf("WithModel(%q) = %q, want %q", tt.args, got, tt.withModel)
		}
	}
}

func mkDirs(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
