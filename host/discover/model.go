package discover

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/svgai/svgai/host/config"
)

// ModelEnv names the environment variable that selects the model
// directory (second in the search order, after --model).
const ModelEnv = "SVGAI_MODEL"

// ModelFile is the file that makes a directory a model directory.
const ModelFile = "model.json"

// ErrNoModel is matched by Model's error when no rule found a model.
var ErrNoModel = errors.New("no model found")

// Rule names where a model was found, in search order.
type Rule string

// The search order of Model. The first three are explicit: a directory
// they name must hold a model, or the search fails rather than go on.
const (
	RuleFlag    Rule = "--model flag"
	RuleEnv     Rule = "$" + ModelEnv
	RuleConfig  Rule = "plugin.toml"
	RuleUser    Rule = "per-user data directory"
	RuleBinDir  Rule = "next to the svgai binary"
	RuleWorkDir Rule = "current directory"
)

// FoundModel is the model directory the search chose.
type FoundModel struct {
	// Dir is absolute, with symbolic links resolved, so that a model
	// installed by switching a "latest" link is read from one version.
	Dir string
	// Rule is the rule that found it, and Where the path or setting it
	// looked at (for messages: "$SVGAI_MODEL=/srv/model").
	Rule  Rule
	Where string
}

// ModelQuery is what the model search looks at. Zero fields mean the
// process's own: os.Getenv, os.Executable, the user's home.
type ModelQuery struct {
	Flag   string        // --model on the command line
	Plugin config.Plugin // [plugin] of plugin.toml: model, or --model in args
	// ConfigFile is the plugin.toml read (config.Config.File); relative
	// paths in it are relative to its directory.
	ConfigFile string
	Getenv     func(string) string
	Executable string
}

// UserModelsDir is the per-user directory of installed models:
// $XDG_DATA_HOME/svgai/models, by default ~/.local/share/svgai/models.
// `svgai-tools install-model` installs there and links latest to the
// newest.
func UserModelsDir(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if d := getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "svgai", "models"), nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("discover: per-user data directory: %w", err)
		}
		home = h
	}
	return filepath.Join(home, ".local", "share", "svgai", "models"), nil
}

// Model finds the model directory the plugin should serve. The search
// order, first match wins:
//
//  1. --model DIR on the command line
//  2. $SVGAI_MODEL
//  3. plugin.toml: [plugin] model, or --model in [plugin] args
//  4. the per-user data directory: UserModelsDir()/latest
//  5. next to the binaries: BIN/../share/svgai/models/latest, then
//     BIN/models/latest
//  6. models/latest in the current directory
//
// A directory is a model when it holds model.json. Rules 1–3 are the
// user's explicit choice: when the directory they name is not a model, the
// search fails with that error instead of going on. The error of a search
// that found nothing matches ErrNoModel and lists the places looked at.
func Model(q ModelQuery) (FoundModel, error) {
	getenv := q.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	explicit := []candidate{
		{RuleFlag, q.Flag, "--model " + q.Flag},
		{RuleEnv, getenv(ModelEnv), "$" + ModelEnv + "=" + getenv(ModelEnv)},
		configModel(q.Plugin, q.ConfigFile),
	}
	for _, c := range explicit {
		if c.dir == "" {
			continue
		}
		dir, err := modelDir(c.dir)
		if err != nil {
			return FoundModel{}, fmt.Errorf("discover: model from %s: %w", c.where, err)
		}
		return FoundModel{Dir: dir, Rule: c.rule, Where: c.where}, nil
	}
	var looked []string
	try := func(rule Rule, dir string) (FoundModel, bool) {
		looked = append(looked, dir)
		d, err := modelDir(dir)
		if err != nil {
			return FoundModel{}, false
		}
		return FoundModel{Dir: d, Rule: rule, Where: dir}, true
	}
	if users, err := UserModelsDir(getenv); err == nil {
		if m, ok := try(RuleUser, filepath.Join(users, "latest")); ok {
			return m, nil
		}
	}
	exe := q.Executable
	if exe == "" {
		exe, _ = os.Executable()
	}
	if exe != "" {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		bin := filepath.Dir(exe)
		for _, d := range []string{filepath.Join(bin, "..", "share", "svgai", "models", "latest"), filepath.Join(bin, "models", "latest")} {
			if m, ok := try(RuleBinDir, filepath.Clean(d)); ok {
				return m, nil
			}
		}
	}
	if m, ok := try(RuleWorkDir, filepath.Join("models", "latest")); ok {
		return m, nil
	}
	return FoundModel{}, fmt.Errorf("discover: %w: no --model, no $%s, no model in plugin.toml, and no %s in %s; train one (make model, or make demo) or pass --model DIR",
		ErrNoModel, ModelEnv, ModelFile, strings.Join(looked, ", "))
}

// candidate is a directory an explicit rule names.
type candidate struct {
	rule       Rule
	dir, where string
}

// configModel returns plugin.toml's model: [plugin] model, else --model in
// [plugin] args, resolved against the file's directory.
func configModel(p config.Plugin, file string) candidate {
	c := candidate{rule: RuleConfig}
	key, dir := "model", p.Model
	if dir == "" {
		key, dir = "args --model", ArgsModel(p.Args)
	}
	if dir == "" {
		return c
	}
	name := file
	if name == "" {
		name = "plugin.toml"
	}
	c.where = fmt.Sprintf("%s [plugin] %s = %s", name, key, dir)
	if !filepath.IsAbs(dir) && file != "" {
		dir = filepath.Join(filepath.Dir(file), dir)
	}
	c.dir = dir
	return c
}

// modelDir returns dir made absolute with links resolved, if it holds
// model.json.
func modelDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	fi, err := os.Stat(filepath.Join(abs, ModelFile))
	if err != nil {
		return "", fmt.Errorf("%s is not a model directory: %w", dir, err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s/%s is not a file", dir, ModelFile)
	}
	return abs, nil
}

// ArgsModel returns the value of --model (or -model, --model=DIR) in
// plugin arguments, or "".
func ArgsModel(args []string) string {
	for i, a := range args {
		switch {
		case (a == "--model" || a == "-model") && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--model="):
			return strings.TrimPrefix(a, "--model=")
		case strings.HasPrefix(a, "-model="):
			return strings.TrimPrefix(a, "-model=")
		}
	}
	return ""
}

// WithModel returns plugin arguments that pass dir as the plugin's
// --model, replacing any --model already there.
func WithModel(args []string, dir string) []string {
	out := make([]string, 0, len(args)+2)
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--model" || a == "-model":
			i++ // and its value
		case strings.HasPrefix(a, "--model="), strings.HasPrefix(a, "-model="):
		default:
			out = append(out, a)
		}
	}
	return append(out, "--model", dir)
}
