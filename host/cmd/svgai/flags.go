package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/svgai/svgai/host/config"
)

// parseArgs parses flags that may come before, between or after positional
// arguments (`svgai convert in.png -o out.svg`), which the flag package
// alone does not allow, and returns the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// helpOr turns -h into printed usage and a nil error.
func helpOr(err error, w io.Writer, fs *flag.FlagSet, synopsis string) error {
	if err != flag.ErrHelp {
		return err
	}
	fmt.Fprintf(w, "usage: %s\n\nflags:\n", synopsis)
	fs.SetOutput(w)
	fs.PrintDefaults()
	return nil
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// configFlag registers --config and returns a loader for it. Without the
// flag, ./plugin.toml is used when present and the defaults otherwise.
func configFlag(fs *flag.FlagSet) func() (config.Config, error) {
	path := fs.String("config", "", "host configuration `file` (default ./plugin.toml if present)")
	return func() (config.Config, error) {
		if *path == "" {
			return config.Load("plugin.toml", true)
		}
		return config.Load(*path, false)
	}
}
