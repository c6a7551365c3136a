package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// testApp has a command with flags, an alias and a required argument, and
// one without arguments.
func testApp() *App {
	return &App{Name: "prog", Summary: "a test program", Version: "1.2.3", Commands: []Command{
		{Name: "echo", Summary: "print the arguments", Run: func(_ context.Context, env *Env, args []string) error {
			fs := env.Flags("echo [flags] WORD...", "Print the words.")
			out := fs.String("out", "", "write to this `file`")
			fs.Alias("o", "out")
			upper := fs.Bool("upper", false, "in capitals")
			fs.MinArgs = 1
			pos, err := fs.Parse(args)
			if err != nil {
				return err
			}
			s := strings.Join(pos, " ")
			if *upper {
				s = strings.ToUpper(s)
			}
			if s == "fail" {
				return errors.New("it failed")
			}
			env.Log.Info("echoing", "out", *out)
			env.Log.Warn("a warning")
			_, err = env.Stdout.Write([]byte(s + "\n"))
			return err
		}},
		{Name: "level", Summary: "print the log level", Run: func(_ context.Context, env *Env, args []string) error {
			fs := env.Flags("level", "")
			if _, err := fs.Parse(args); err != nil {
				return err
			}
			env.Stdout.Write([]byte(env.Log.GetLevel().String() + "\n"))
			return nil
		}},
	}}
}

func runApp(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := testApp().Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodesAndHelp(t *testing.T) {
	t.Setenv(LevelEnv, "")
	for _, tt := range []struct {
		args             []string
		code             int
		stdout, stderr   string // substrings
		noStdout, noWarn bool
	}{
		{args: nil, code: 2, stderr: "usage: prog"},
		{args: []string{"help"}, code: 0, stdout: "commands:"},
		{args: []string{"-h"}, code: 0, stdout: "commands:"},
		{args: []string{"--help"}, code: 0, stdout: "completion"},
		{args: []string{"--version"}, code: 0, stdout: "prog 1.2.3"},
		{args: []string{"help", "echo"}, code: 0, stdout: "usage: prog echo [flags] WORD..."},
		{args: []string{"echo", "-h"}, code: 0, stdout: "-o, --out file"},
		{args: []string{"echo", "--help"}, code: 0, stdout: "--upper"},
		{args: []string{"echo"}, code: 2, stderr: "usage: prog echo", noStdout: true},
		{args: []string{"help", "nope"}, code: 2, stderr: `unknown command "nope"`},
		{args: []string{"nope"}, code: 2, stderr: `unknown command "nope"`},
		{args: []string{"--frob"}, code: 2, stderr: "flag provided but not defined: -frob"},
		{args: []string{"echo", "--frob", "x"}, code: 2, stderr: "Run 'prog help echo' for usage."},
		{args: []string{"echo", "hi", "-o", "f", "--upper"}, code: 0, stdout: "HI\n", stderr: "a warning"},
		{args: []string{"echo", "fail"}, code: 1, stderr: "prog echo: it failed"},
		{args: []string{"echo", "-q", "hi"}, code: 0, stdout: "hi", noWarn: true},
		{args: []string{"-q", "echo", "hi"}, code: 0, stdout: "hi", noWarn: true},
		{args: []string{"echo", "--log-level", "loud", "hi"}, code: 2, stderr: `--log-level "loud"`},
	} {
		code, out, errs := runApp(t, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errs, tt.stderr) ||
			(tt.noStdout && out != "") || (tt.noWarn && strings.Contains(errs, "warning")) {
			t.Errorf("%q: exit %d\nstdout %q\nstderr %q\nwant exit %d, stdout ∋ %q, stderr ∋ %q", tt.args, code, out, errs, tt.code, tt.stdout, tt.stderr)
		}
	}
}

func TestLogLevels(t *testing.T) {
	for _, tt := range []struct {
		env  string
		args []string
		want string
	}{
		{"", []string{"level"}, "warn"},
		{"", []string{"-v", "level"}, "info"},
		{"", []string{"level", "-v"}, "info"},
		{"", []string{"level", "-v", "-v"}, "debug"},
		{"", []string{"-v", "level", "-v"}, "debug"},
		{"", []string{"level", "-vv"}, "debug"},
		{"", []string{"level", "-q"}, "error"},
		{"", []string{"level", "-q", "-v"}, "error"},
		{"", []string{"level", "--log-level", "trace", "-q"}, "trace"},
		{"", []string{"level", "--log-level", "off"}, "off"},
		{"debug", []string{"level"}, "debug"},
		{"debug", []string{"level", "-q"}, "error"},
	} {
		t.Setenv(LevelEnv, tt.env)
		code, out, errs := runApp(t, tt.args...)
		if code != 0 || strings.TrimSpace(out) != tt.want {
			t.Errorf("$%s=%q %q: exit %d, level %q (%s), want %s", LevelEnv, tt.env, tt.args, code, out, errs, tt.want)
		}
	}
}
