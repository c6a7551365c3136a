// Command svgai converts PNG logos and icons to SVG with VTracer and
// measures how faithful the result is.
//
//	svgai convert IN -o OUT.svg [--preset NAME] [--set key=value]... [--json]
//	svgai optimize IN -o OUT.svg [--target-ssim X] [--json]
//	svgai predict IN --params-file P.jsonl
//	svgai metrics IN.png IN.svg [--json]
//	svgai presets
//	svgai serve [--addr 127.0.0.1:8080] [--config FILE]
//	svgai version
//	svgai doctor
//	svgai ab-report AB_LOG.jsonl
//
// Configuration comes from plugin.toml (--config, default ./plugin.toml if
// present). The exit status is 0 on success, 1 when the work failed (an
// unreadable image, a failed conversion) and 2 when the command was invoked
// wrongly (an unknown flag, a parameter out of range). SVGAI_LOG sets the
// log level (trace, debug, info, warn, error); logs go to standard error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/hashicorp/go-hclog"
)

// usageError marks errors in how the command was invoked (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// usagef formats a usageError.
func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, env *env, args []string) error
}

// env is what every subcommand gets: output streams and a logger.
type env struct {
	stdout, stderr io.Writer
	log            hclog.Logger
}

// commands lists the subcommands in the order usage prints them.
func commands() []command {
	return []command{
		{"convert", "convert an image to SVG and report its quality", runConvert},
		{"optimize", "choose parameters that reach a target SSIM with a small SVG", runOptimize},
		{"predict", "predict SSIM for parameter sets through the plugin (JSON lines)", runPredict},
		{"metrics", "score an existing SVG against its PNG", runMetrics},
		{"presets", "list the parameter presets", runPresets},
		{"serve", "serve the REST API (convert, predict, optimize, health, metrics)", runServe},
		{"version", "print the version and VTracer backend", runVersion},
		{"doctor", "check the deployment: VTracer, plugin, checksum, protocol, model", runDoctor},
		{"ab-report", "summarise an A/B log of optimizations per arm", runABReport},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one invocation and returns the exit status: 0 success,
// 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, log: hclog.New(&hclog.LoggerOptions{
		Name: "svgai", Output: stderr, Level: hclog.LevelFromString(os.Getenv("SVGAI_LOG")),
	})}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var ue usageError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "svgai %s: %v\nRun 'svgai %s -h' for usage.\n", c.name, err, c.name)
			return 2
		default:
			fmt.Fprintf(stderr, "svgai %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "svgai: unknown command %q\n", args[0])
	printUsage(stderr)
	return 2
}

// printUsage lists the subcommands.
func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: svgai <command> [arguments]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'svgai <command> -h' for a command's flags.")
}
