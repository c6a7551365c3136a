// Command benchtable reads `go test -bench` output on standard input and
// prints it as a Markdown table: one row per benchmark, one column per unit
// (ns/op, ms/conv, B/op, …). It passes the raw lines through to standard
// error so that nothing is hidden.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

type row struct {
	pkg, name string
	metrics   map[string]string
}

func main() {
	rows, units, err := parse(os.Stdin, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if len(rows) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results in the input")
		os.Exit(1)
	}
	write(os.Stdout, rows, units)
}

// parse collects benchmark result lines; units keeps first-seen order.
func parse(r io.Reader, echo io.Writer) ([]row, []string, error) {
	var rows []row
	var units []string
	seen := map[string]bool{}
	pkg := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(echo, line)
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = p
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		rw := row{pkg: pkg, name: f[0], metrics: map[string]string{}}
		for i := 2; i+1 < len(f); i += 2 {
			unit := f[i+1]
			rw.metrics[unit] = f[i]
			if !seen[unit] {
				seen[unit] = true
				units = append(units, unit)
			}
		}
		rows = append(rows, rw)
	}
	return rows, units, sc.Err()
}

func write(w io.Writer, rows []row, units []string) {
	fmt.Fprintf(w, "| package | benchmark | %s |\n", strings.Join(units, " | "))
	fmt.Fprintf(w, "|---|---|%s\n", strings.Repeat("---:|", len(units)))
	for _, r := range rows {
		cells := make([]string, len(units))
		for i, u := range units {
			cells[i] = r.metrics[u]
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", strings.TrimPrefix(r.pkg, "github.com/svgai/svgai/"), r.name, strings.Join(cells, " | "))
	}
}
