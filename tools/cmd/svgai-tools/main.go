// Command svgai-tools builds svgai's data: corpora of images, and later the
// dataset, features and models made from them.
//
// Usage:
//
//	svgai-tools [-log-level LEVEL] COMMAND [ARGS]
//
// Run "svgai-tools help" for the list of commands. Exit status is 0 on
// success, 1 on failure and 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/hashicorp/go-hclog"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one subcommand. Each lives in its own file and is listed in
// commands; run receives the arguments after the command's name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	cmds := append([]command{corpusCommand()}, dataCommands()...)
	cmds = append(cmds, featureCommands()...)
	cmds = append(cmds, modelCommands()...)
	return append(cmds, scaleCommand())
}

// env is what commands share: output streams and the logger.
type env struct {
	stdout, stderr io.Writer
	log            hclog.Logger
}

// usageError reports a command line that cannot be run; it exits with 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// usagef returns a usageError with a formatted message.
func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("svgai-tools", flag.ContinueOnError)
	fs.SetOutput(stderr)
	level := fs.String("log-level", "info", "log level: trace, debug, info, warn, error")
	fs.Usage = func() { printHelp(stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	lvl := hclog.LevelFromString(*level)
	if lvl == hclog.NoLevel {
		fmt.Fprintf(stderr, "svgai-tools: unknown log level %q\n", *level)
		return exitUsage
	}
	e := &env{stdout: stdout, stderr: stderr, log: hclog.New(&hclog.LoggerOptions{
		Name: "svgai-tools", Level: lvl, Output: stderr,
	})}
	rest := fs.Args()
	if len(rest) == 0 {
		printHelp(stderr)
		return exitUsage
	}
	name, rest := rest[0], rest[1:]
	if name == "help" {
		return help(stdout, stderr, rest)
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, e, rest)
		var ue usageError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "svgai-tools %s: %s\n", name, ue.msg)
			return exitUsage
		default:
			e.log.Error("command failed", "command", name, "error", err)
			return exitFailure
		}
	}
	fmt.Fprintf(stderr, "svgai-tools: unknown command %q (see \"svgai-tools help\")\n", name)
	return exitUsage
}

// help prints the command list, or one command's usage.
func help(stdout, stderr io.Writer, args []string) int {
	if len(args) == 0 {
		printHelp(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			// Commands print their own usage for -h.
			return run(context.Background(), []string{c.name, "-h"}, stdout, stdout)
		}
	}
	fmt.Fprintf(stderr, "svgai-tools help: unknown command %q\n", args[0])
	return exitUsage
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Usage: svgai-tools [-log-level LEVEL] COMMAND [ARGS]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "help", "show this list, or a command's usage")
}
