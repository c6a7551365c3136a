package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// FlagSet is a command's flags: the standard library's, plus the logging
// flags, aliases, flags anywhere among the arguments, and help in the
// house style. Build it with Env.Flags.
type FlagSet struct {
	*flag.FlagSet
	env      *Env
	synopsis []string
	about    string
	aliases  map[string][]string // flag name → its aliases
	aliasOf  map[string]string   // alias → flag name
	// MinArgs is how many positional arguments the command needs; with
	// none given where some are needed, Parse prints help and fails with
	// exit status 2.
	MinArgs int
}

// Flags starts the flag set of the running command. synopsis is its usage
// line(s) without the program name; about says what it does (empty: the
// command's summary).
func (e *Env) Flags(synopsis, about string) *FlagSet {
	if about == "" && e.summary != "" {
		about = strings.ToUpper(e.summary[:1]) + e.summary[1:] + "."
	}
	fs := &FlagSet{FlagSet: flag.NewFlagSet(e.cmd, flag.ContinueOnError), env: e,
		synopsis: strings.Split(synopsis, "\n"), about: about,
		aliases: map[string][]string{}, aliasOf: map[string]string{}}
	fs.SetOutput(io.Discard)
	e.logging.register(fs.FlagSet)
	return fs
}

// Alias makes alias another name for the flag name (already defined).
func (fs *FlagSet) Alias(alias, name string) {
	f := fs.Lookup(name)
	if f == nil {
		panic("cli: alias of undefined flag " + name) // a programming error, caught by every test
	}
	fs.Var(f.Value, alias, "same as --"+name)
	fs.aliases[name] = append(fs.aliases[name], alias)
	fs.aliasOf[alias] = name
}

// Parse parses args, where flags may come before, between or after the
// positional arguments (`convert in.png -o out.svg`; after `--` all are
// positional), and returns the positional ones. -h prints the command's
// help to standard output and returns ErrHelp; a flag error is a
// *UsageError. A bare command that needs arguments prints its help to
// standard error and returns a *UsageError.
func (fs *FlagSet) Parse(args []string) ([]string, error) {
	if fs.env.describe != nil {
		fs.env.describe(fs)
		return nil, errDescribed
	}
	if len(args) == 0 && fs.MinArgs > 0 {
		fs.PrintHelp(fs.env.Stderr)
		return nil, &UsageError{Msg: "missing arguments"}
	}
	var pos []string
	for {
		if err := fs.FlagSet.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.PrintHelp(fs.env.Stdout)
				return nil, ErrHelp
			}
			return nil, &UsageError{Msg: err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if err := fs.env.applyLogging(); err != nil {
		return nil, err
	}
	if len(pos) < fs.MinArgs {
		return nil, Usagef("want at least %d argument(s), got %d", fs.MinArgs, len(pos))
	}
	return pos, nil
}

// errDescribed ends a command run only to collect its flags.
var errDescribed = errors.New("cli: flags described")

// Visited reports whether the flag name (or one of its aliases) was set on
// the command line.
func (fs *FlagSet) Visited(name string) bool {
	seen := false
	fs.Visit(func(f *flag.Flag) { seen = seen || f.Name == name || fs.aliasOf[f.Name] == name })
	return seen
}

// PrintHelp writes the command's help: usage, what it does, its flags
// (aliases beside the flag they stand for) and the common flags.
func (fs *FlagSet) PrintHelp(w io.Writer) {
	prog := fs.env.app.Name
	for i, s := range fs.synopsis {
		lead := "usage:"
		if i > 0 {
			lead = "      "
		}
		fmt.Fprintf(w, "%s %s %s\n", lead, prog, s)
	}
	if fs.about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(fs.about, "\n"))
	}
	var rows [][2]string
	common := map[string]bool{"v": true, "vv": true, "q": true, "log-level": true}
	fs.VisitAll(func(f *flag.Flag) {
		if common[f.Name] || fs.aliasOf[f.Name] != "" {
			return
		}
		arg, usage := flag.UnquoteUsage(f)
		names := []string{dashed(f.Name)}
		for _, a := range fs.aliases[f.Name] {
			names = append(names, dashed(a))
		}
		sort.SliceStable(names, func(i, j int) bool { return len(names[i]) < len(names[j]) })
		left := strings.Join(names, ", ")
		if arg != "" {
			left += " " + arg
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "[]" {
			usage += " (default " + def + ")"
		}
		rows = append(rows, [2]string{left, usage})
	})
	if len(rows) > 0 {
		fmt.Fprintln(w, "\nflags:")
		width := 0
		for _, r := range rows {
			width = max(width, len(r[0]))
		}
		width = min(width, 28)
		for _, r := range rows {
			if len(r[0]) > width {
				fmt.Fprintf(w, "  %s\n  %-*s  %s\n", r[0], width, "", r[1])
			} else {
				fmt.Fprintf(w, "  %-*s  %s\n", width, r[0], r[1])
			}
		}
	}
	if fs.env.app.Single != nil {
		fmt.Fprintf(w, "\ncommon flags: -v (info), -v -v (debug), -q (errors only), --log-level LEVEL, --version.\n")
		return
	}
	fmt.Fprintf(w, "\ncommon flags: -v (info), -v -v (debug), -q (errors only), --log-level LEVEL; see '%s help'.\n", prog)
}

// dashed writes a flag name as it is usually typed: -o, --output.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
