package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/shared/vtracer"
)

// WritePresetTable prints a Markdown table of each preset's mean SSIM, SVG
// size and VTracer time per corpus (synthetic, or the npm package), from
// the records that used exactly that preset's parameters.
func WritePresetTable(w io.Writer, recs []dataset.Record) error {
	presets := map[vtracer.Params]string{vtracer.Default(): "default"}
	for _, name := range vtracer.PresetNames() {
		p, _ := vtracer.Preset(name)
		presets[p] = name
	}
	type acc struct {
		n              int
		ssim, kb, msec float64
	}
	cells := map[[2]string]*acc{}
	corpora := map[string]bool{}
	for i := range recs {
		name, ok := presets[recs[i].Params]
		if !ok {
			continue
		}
		c := corpusName(recs[i].Image.Source)
		corpora[c] = true
		k := [2]string{name, c}
		if cells[k] == nil {
			cells[k] = &acc{}
		}
		a := cells[k]
		a.n++
		a.ssim += recs[i].Quality.SSIM
		a.kb += float64(recs[i].Output.SVGBytes) / 1024
		a.msec += recs[i].Output.TraceMS
	}
	cols := make([]string, 0, len(corpora))
	for c := range corpora {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	fmt.Fprintf(w, "| preset | %s |\n|---|%s\n", strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
	names := append([]string{"default"}, vtracer.PresetNames()...)
	for _, name := range names {
		fmt.Fprintf(w, "| %s |", name)
		for _, c := range cols {
			a := cells[[2]string{name, c}]
			if a == nil {
				fmt.Fprint(w, " – |")
				continue
			}
			n := float64(a.n)
			fmt.Fprintf(w, " %.3f / %.1f KB / %.1f ms |", a.ssim/n, a.kb/n, a.msec/n)
		}
		fmt.Fprintln(w)
	}
	_, err := fmt.Fprintf(w, "\nEach cell: mean SSIM / mean SVG size / mean VTracer time over the corpus's images.\n")
	return err
}

// corpusName shortens a record's source to its corpus: "synthetic", the npm
// package name without version, or the source as is.
func corpusName(source string) string {
	if rest, ok := strings.CutPrefix(source, "npm:"); ok {
		if i := strings.LastIndex(rest, "@"); i > 0 {
			return rest[:i]
		}
		return rest
	}
	return source
}
