// Command covertable prints the statement coverage of each package in a
// merged cover profile as a Markdown table, and the total. When packages
// are named, exactly those count: the others in the profile are left out,
// and a named one the profile lacks counts as 0%.
//
//	covertable PROFILE PKG...
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: covertable PROFILE PKG...")
		os.Exit(2)
	}
	stmts, hit, err := read(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "covertable:", err)
		os.Exit(1)
	}
	if want := os.Args[2:]; len(want) > 0 { // exactly these packages
		listed := map[string]bool{}
		for _, p := range want {
			listed[p] = true
			if _, ok := stmts[p]; !ok {
				stmts[p] = 0
			}
		}
		for p := range stmts {
			if !listed[p] {
				delete(stmts, p)
			}
		}
	}
	names := make([]string, 0, len(stmts))
	for p := range stmts {
		names = append(names, p)
	}
	sort.Strings(names)
	var total, covered int
	fmt.Println("| package | statements | covered |\n|---|---|---|")
	for _, p := range names {
		total += stmts[p]
		covered += hit[p]
		fmt.Printf("| %s | %d | %s |\n", strings.TrimPrefix(p, "github.com/svgai/svgai/"), stmts[p], pct(hit[p], stmts[p]))
	}
	fmt.Printf("| **total** | %d | **%s** |\n", total, pct(covered, total))
}

func pct(k, n int) string {
	if n == 0 {
		return "no statements"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(k)/float64(n))
}

// read sums a text cover profile's statements, and those executed, per
// package; a block listed several times (one per merged run) counts once.
func read(path string) (stmts, hit map[string]int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	type block struct {
		n   int
		run bool
	}
	blocks := map[string]*block{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "mode:") || line == "" {
			continue
		}
		// file.go:l.c,l.c numStmts count
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, nil, fmt.Errorf("bad line %q", line)
		}
		n, err1 := strconv.Atoi(f[1])
		c, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil {
			return nil, nil, fmt.Errorf("bad line %q", line)
		}
		b := blocks[f[0]]
		if b == nil {
			b = &block{n: n}
			blocks[f[0]] = b
		}
		b.run = b.run || c > 0
	}
	stmts, hit = map[string]int{}, map[string]int{}
	for pos, b := range blocks {
		file := pos[:strings.LastIndexByte(pos, ':')]
		pkg := file[:strings.LastIndexByte(file, '/')]
		stmts[pkg] += b.n
		if b.run {
			hit[pkg] += b.n
		}
	}
	return stmts, hit, sc.Err()
}
