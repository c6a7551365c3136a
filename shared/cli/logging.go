package cli

import (
	"flag"
	"os"
	"strconv"

	"github.com/hashicorp/go-hclog"
)

// LevelEnv is the environment variable that sets the default log level of
// every svgai program (for services, where flags are awkward); the flags
// win over it.
const LevelEnv = "SVGAI_LOG_LEVEL"

// loggingHelp documents the logging flags in every program's help.
const loggingHelp = `logging (every command): quiet by default: warnings and errors on standard error.
  -v             also informational messages; -v -v (or -vv) also debug
  -q             errors only: no warnings, no progress, no summaries
  --log-level L  trace, debug, info, warn, error or off; wins over -v and -q
  $` + LevelEnv + `  the default level when no flag is given
`

// logging holds the logging flags; the program's and the command's flags
// share it, so `svgai -v convert` and `svgai convert -v` mean the same.
type logging struct {
	verbose int
	quiet   bool
	level   string
}

// countFlag counts how often a boolean flag is given (-v -v).
type countFlag struct{ n *int }

func (c countFlag) String() string {
	if c.n == nil {
		return "0"
	}
	return strconv.Itoa(*c.n)
}

func (c countFlag) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	if v {
		*c.n++
	} else {
		*c.n = 0
	}
	return nil
}

// IsBoolFlag lets -v stand alone.
func (c countFlag) IsBoolFlag() bool { return true }

// vvFlag is -vv, the same as -v -v.
type vvFlag struct{ n *int }

func (f vvFlag) String() string   { return "false" }
func (f vvFlag) IsBoolFlag() bool { return true }
func (f vvFlag) Set(s string) error {
	if v, err := strconv.ParseBool(s); err != nil || !v {
		return err
	}
	*f.n += 2
	return nil
}

// register adds -v, -vv, -q and --log-level to fs, keeping the values
// already set (by the program's flags, before the command's).
func (l *logging) register(fs *flag.FlagSet) {
	fs.Var(countFlag{&l.verbose}, "v", "more messages: -v informational, -v -v debug")
	fs.Var(vvFlag{&l.verbose}, "vv", "debug messages (-v -v)")
	fs.BoolVar(&l.quiet, "q", l.quiet, "errors only: no warnings, progress or summaries")
	fs.StringVar(&l.level, "log-level", l.level, "log `level`: trace, debug, info, warn, error, off (default warn, or $"+LevelEnv+")")
}

// Level is the log level the flags and the environment choose.
func (l *logging) Level() (hclog.Level, error) {
	if l.level != "" {
		return parseLevel(l.level, "--log-level")
	}
	switch {
	case l.quiet:
		return hclog.Error, nil
	case l.verbose >= 2:
		return hclog.Debug, nil
	case l.verbose == 1:
		return hclog.Info, nil
	}
	if v := os.Getenv(LevelEnv); v != "" {
		return parseLevel(v, "$"+LevelEnv)
	}
	return hclog.Warn, nil
}

func parseLevel(s, what string) (hclog.Level, error) {
	if s == "off" {
		return hclog.Off, nil
	}
	lvl := hclog.LevelFromString(s)
	if lvl == hclog.NoLevel {
		return lvl, Usagef("%s %q: want trace, debug, info, warn, error or off", what, s)
	}
	return lvl, nil
}

// applyLogging sets the logger's level from the flags parsed so far.
func (e *Env) applyLogging() error {
	lvl, err := e.logging.Level()
	if err != nil {
		return err
	}
	e.Log.SetLevel(lvl)
	return nil
}
