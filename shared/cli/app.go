// Package cli holds the command-line conventions that svgai, svgai-tools
// and svgai-load share, so the three read alike: subcommands with their own
// help (`PROG help CMD`, `PROG CMD -h`: exit 0), a bare program printing
// help and exiting 2, usage errors exiting 2 and failures 1, the logging
// flags (-v, -q, --log-level; quiet by default), --version, progress on
// standard error (a bar on a terminal, plain lines otherwise), `-` for
// standard input or output, and shell completion for bash, zsh and fish.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/hashicorp/go-hclog"
)

// Exit statuses of every svgai program.
const (
	ExitOK      = 0 // success, or help that was asked for
	ExitFailure = 1 // the work failed (an unreadable image, a failed conversion)
	ExitUsage   = 2 // the command line is wrong (an unknown flag, a value out of range)
)

// UsageError is an error in how a program was invoked: exit status 2, and
// a pointer to the command's help.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a *UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ErrHelp is returned by FlagSet.Parse after it printed help that was asked
// for (-h, --help); commands return it and the program exits 0.
var ErrHelp = flag.ErrHelp

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string // one line, for the program's help
	// Run does the work. It builds its flags with env.Flags, so -h, the
	// logging flags and completion work the same in every command.
	Run func(ctx context.Context, env *Env, args []string) error
	// Sub lists the command's own subcommands (`corpus synth`), for help
	// and completion; the command dispatches them itself.
	Sub []string
}

// App is a program made of subcommands.
type App struct {
	Name     string // the program's name, e.g. "svgai"
	Summary  string // one line
	Version  string
	Commands []Command
	// Footer is appended to the program's help (configuration files,
	// environment variables).
	Footer string
	// Single, when set, makes a program of one command without
	// subcommands (`svgai-load --image ...`): its flags are the program's,
	// -h and --version work, and a bare program prints its help and
	// exits 2.
	Single *Command
}

// Main runs the program on os.Args and exits with its status. SIGINT and
// SIGTERM cancel the context the command runs with.
func (a *App) Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := a.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Run executes one command line and returns the exit status.
func (a *App) Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := newEnv(a, stdin, stdout, stderr)
	if a.Single != nil {
		return a.runSingle(ctx, env, args)
	}
	fs := flag.NewFlagSet(a.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	env.logging.register(fs)
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.printHelp(stdout)
			return ExitOK
		}
		fmt.Fprintf(stderr, "%s: %v\n\n", a.Name, err)
		a.printHelp(stderr)
		return ExitUsage
	}
	if err := env.applyLogging(); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", a.Name, err)
		return ExitUsage
	}
	if *showVersion {
		fmt.Fprintf(stdout, "%s %s\n", a.Name, a.Version)
		return ExitOK
	}
	rest := fs.Args()
	if len(rest) == 0 {
		a.printHelp(stderr)
		return ExitUsage
	}
	name, rest := rest[0], rest[1:]
	c, ok := a.command(name)
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n", a.Name, name)
		a.printHelp(stderr)
		return ExitUsage
	}
	env.cmd, env.summary = c.Name, c.Summary
	return env.exit(c.Run(ctx, env, rest))
}

// runSingle runs a one-command program.
func (a *App) runSingle(ctx context.Context, env *Env, args []string) int {
	env.summary = a.Single.Summary
	if len(args) == 0 {
		args = []string{"-h"}
		env.Stdout = env.Stderr
		if code := env.exit(a.Single.Run(ctx, env, args)); code != ExitOK {
			return code
		}
		return ExitUsage
	}
	for _, arg := range args {
		if arg == "--version" || arg == "-version" {
			fmt.Fprintf(env.Stdout, "%s %s\n", a.Name, a.Version)
			return ExitOK
		}
		if arg == "--" {
			break
		}
	}
	return env.exit(a.Single.Run(ctx, env, args))
}

// command finds a command by name, including the built-in help and
// completion.
func (a *App) command(name string) (Command, bool) {
	for _, c := range a.all() {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// all is the app's commands followed by help and completion.
func (a *App) all() []Command {
	return append(a.Commands[:len(a.Commands):len(a.Commands)],
		Command{Name: "help", Summary: "show this help, or a command's: help COMMAND", Run: runHelp},
		Command{Name: "completion", Summary: "print a shell completion script: completion bash|zsh|fish", Run: runCompletion,
			Sub: []string{"bash", "zsh", "fish"}})
}

// exit maps a command's error to the exit status, printing it.
func (e *Env) exit(err error) int {
	var ue *UsageError
	switch {
	case err == nil, errors.Is(err, ErrHelp):
		return ExitOK
	case errors.As(err, &ue) && e.cmd == "":
		fmt.Fprintf(e.Stderr, "%s: %s\nRun '%s -h' for usage.\n", e.app.Name, ue.Msg, e.app.Name)
		return ExitUsage
	case errors.As(err, &ue):
		fmt.Fprintf(e.Stderr, "%s %s: %s\nRun '%s help %s' for usage.\n", e.app.Name, e.cmd, ue.Msg, e.app.Name, e.cmd)
		return ExitUsage
	case errors.Is(err, errReported):
		return ExitFailure
	case e.cmd == "":
		fmt.Fprintf(e.Stderr, "%s: %v\n", e.app.Name, err)
		return ExitFailure
	default:
		fmt.Fprintf(e.Stderr, "%s %s: %v\n", e.app.Name, e.cmd, err)
		return ExitFailure
	}
}

// errReported is a failure whose details the command already printed (a
// batch with bad files): exit 1 without another message.
var errReported = errors.New("cli: failures reported")

// Failed returns the error a command returns when it has already printed
// its failures (each bad file of a batch): the program exits 1 quietly.
func Failed() error { return errReported }

// printHelp prints the program's help.
func (a *App) printHelp(w io.Writer) {
	fmt.Fprintf(w, "%s: %s\n\nusage: %s [-v | -q | --log-level LEVEL] COMMAND [ARGS]\n       %s --version\n\ncommands:\n",
		a.Name, a.Summary, a.Name, a.Name)
	for _, c := range a.all() {
		fmt.Fprintf(w, "  %-14s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintf(w, "\nRun '%s help COMMAND' or '%s COMMAND -h' for a command's flags.\n\n%s", a.Name, a.Name, loggingHelp)
	if a.Footer != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(a.Footer, "\n"))
	}
	fmt.Fprintf(w, "\nexit status: 0 success, 1 failure, 2 usage error.\n")
}

// runHelp is the built-in help command.
func runHelp(_ context.Context, env *Env, args []string) error {
	switch len(args) {
	case 0:
		env.app.printHelp(env.Stdout)
		return nil
	case 1:
		c, ok := env.app.command(args[0])
		if !ok {
			return Usagef("unknown command %q", args[0])
		}
		env.cmd, env.summary = c.Name, c.Summary
		return c.Run(context.Background(), env, []string{"-h"})
	}
	return Usagef("want at most one command name")
}

// Env is what a command gets: its streams, the logger and the program's
// conventions.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Log goes to Stderr at the level the logging flags chose.
	Log hclog.Logger

	app      *App
	cmd      string
	summary  string // the running command's
	logging  logging
	describe func(*FlagSet) // set while completion collects a command's flags
}

func newEnv(a *App, stdin io.Reader, stdout, stderr io.Writer) *Env {
	e := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, app: a}
	e.Log = hclog.New(&hclog.LoggerOptions{Name: a.Name, Output: stderr, Level: hclog.Warn})
	return e
}

// Quiet reports -q: print errors only, no warnings, progress or summaries.
func (e *Env) Quiet() bool { return e.logging.quiet }

// Command returns the running command's name.
func (e *Env) Command() string { return e.cmd }
