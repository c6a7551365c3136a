// Command svgai-tools builds svgai's data and models: corpora of images,
// the dataset of real conversions, features, trained and evaluated models,
// and installs a model where svgai finds it.
//
// Usage:
//
//	svgai-tools [-v | -q | --log-level LEVEL] COMMAND [ARGS]
//
// Run "svgai-tools help" for the list of commands and "svgai-tools help
// COMMAND" for one command's flags. --config is always tools.toml (default
// ./tools.toml when present). Exit status is 0 on success, 1 on failure
// and 2 on a usage error.
package main

import (
	"context"
	"io"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/shared/cli"
)

// version is the svgai release the tools belong to.
const version = "0.1.0-dev"

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
	return append(cmds, installCommand(), scaleCommand())
}

// env is what commands share: the program's conventions (shared/cli),
// output streams and the logger.
type env struct {
	*cli.Env
	stdout, stderr io.Writer
	log            hclog.Logger
}

// flags starts the running command's flags; synopsis is its usage line
// without the program's name.
func (e *env) flags(synopsis string) *cli.FlagSet { return e.Flags(synopsis, "") }

// usagef returns a usage error (exit status 2) with a formatted message.
func usagef(format string, args ...any) error { return cli.Usagef(format, args...) }

// app is the svgai-tools program.
func app() *cli.App {
	a := &cli.App{
		Name:    "svgai-tools",
		Summary: "build svgai's corpora, dataset, features and models",
		Version: version,
		Footer: `configuration: --config FILE is tools.toml (default ./tools.toml when present);
train and cv also read --training-config (default model/train/training.toml).`,
	}
	for _, c := range commands() {
		run := c.run
		cc := cli.Command{Name: c.name, Summary: c.summary, Run: func(ctx context.Context, ce *cli.Env, args []string) error {
			return run(ctx, &env{Env: ce, stdout: ce.Stdout, stderr: ce.Stderr, log: ce.Log}, args)
		}}
		if c.name == "corpus" {
			cc.Sub = []string{"synth", "fetch"}
		}
		a.Commands = append(a.Commands, cc)
	}
	return a
}

func main() { app().Main() }
