// Package report summarises a dataset for people: how SSIM is distributed
// per image category and how it moves with each VTracer parameter, as a
// text table and as a PNG plot.
package report

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/shared/vtracer"
)

// Stats describe a group of SSIM values.
type Stats struct {
	Name           string
	Images, Count  int
	Mean, Min, P10 float64
	Median, P90    float64
	Max            float64
}

// Summary is a dataset's SSIM distribution, overall, per category and per
// value (or value bin) of each parameter.
type Summary struct {
	Overall    Stats
	ByCategory []Stats
	ByParam    []ParamStats
}

// ParamStats is the SSIM distribution for each value bin of one parameter.
type ParamStats struct {
	Name string
	Bins []Stats
}

// paramBins is how many bins a numeric parameter's range is cut into.
const paramBins = 6

// Summarize computes the summary of recs.
func Summarize(recs []dataset.Record) Summary {
	all := make([]float64, len(recs))
	imgs := map[string]bool{}
	cats := map[string][]int{}
	for i := range recs {
		all[i] = recs[i].Quality.SSIM
		imgs[recs[i].Image.SHA256] = true
		cats[recs[i].Image.Category] = append(cats[recs[i].Image.Category], i)
	}
	s := Summary{Overall: stats("all", all, len(imgs))}
	for name, idx := range cats {
		s.ByCategory = append(s.ByCategory, group(name, recs, idx))
	}
	slices.SortFunc(s.ByCategory, func(a, b Stats) int { return cmp.Compare(a.Name, b.Name) })
	for _, name := range vtracer.Names() {
		bins := map[string][]int{}
		var order []string
		for i := range recs {
			label := binOf(&recs[i].Params, name)
			if _, ok := bins[label]; !ok {
				order = append(order, label)
			}
			bins[label] = append(bins[label], i)
		}
		ps := ParamStats{Name: name}
		for _, label := range order {
			ps.Bins = append(ps.Bins, group(label, recs, bins[label]))
		}
		slices.SortFunc(ps.Bins, func(a, b Stats) int { return cmp.Compare(binKey(a.Name), binKey(b.Name)) })
		s.ByParam = append(s.ByParam, ps)
	}
	return s
}

func group(name string, recs []dataset.Record, idx []int) Stats {
	v := make([]float64, len(idx))
	imgs := map[string]bool{}
	for j, i := range idx {
		v[j] = recs[i].Quality.SSIM
		imgs[recs[i].Image.SHA256] = true
	}
	return stats(name, v, len(imgs))
}

func stats(name string, v []float64, images int) Stats {
	s := Stats{Name: name, Images: images, Count: len(v)}
	if len(v) == 0 {
		return s
	}
	v = slices.Clone(v)
	slices.Sort(v)
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	q := func(p float64) float64 { return v[min(int(p*float64(len(v)-1)+0.5), len(v)-1)] }
	s.Mean, s.Min, s.P10, s.Median, s.P90, s.Max = sum/float64(len(v)), v[0], q(0.1), q(0.5), q(0.9), v[len(v)-1]
	return s
}

// binOf labels the parameter's value: categorical values as themselves,
// numeric ones by the bin of its range they fall in, as "lo–hi".
func binOf(p *vtracer.Params, name string) string {
	switch name {
	case "colormode":
		return string(p.ColorMode)
	case "hierarchical":
		return string(p.Hierarchical)
	case "mode":
		return string(p.Mode)
	case "length_threshold":
		r := vtracer.LengthThresholdRange
		return numBin(p.LengthThreshold, r.Min, r.Max, false)
	}
	for _, r := range vtracer.IntRanges() {
		if r.Name == name {
			return numBin(float64(r.Get(p)), float64(r.Min), float64(r.Max), true)
		}
	}
	return "?"
}

func numBin(v, lo, hi float64, integer bool) string {
	if integer && hi-lo+1 <= paramBins {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	w := (hi - lo) / paramBins
	if integer {
		w = math.Ceil((hi - lo + 1) / paramBins)
	}
	b := math.Min(math.Floor((v-lo)/w), paramBins-1)
	a, z := lo+b*w, lo+(b+1)*w
	if integer {
		return fmt.Sprintf("%g–%g", a, math.Min(z-1, hi))
	}
	return fmt.Sprintf("%.2g–%.2g", a, math.Min(z, hi))
}

// binKey orders bin labels: numerically by their lower edge, else by name.
func binKey(label string) string {
	var lo float64
	if _, err := fmt.Sscanf(label, "%g", &lo); err == nil {
		return fmt.Sprintf("%012.4f", lo+1e6)
	}
	return label
}

// WriteText prints the summary as aligned tables.
func (s Summary) WriteText(w io.Writer) error {
	row := func(st Stats) {
		fmt.Fprintf(w, "  %-22s %6d %7d  %.3f  %.3f  %.3f  %.3f  %.3f  %.3f\n", st.Name, st.Images, st.Count, st.Mean, st.Min, st.P10, st.Median, st.P90, st.Max)
	}
	head := func(title string) {
		fmt.Fprintf(w, "%s\n  %-22s %6s %7s  %5s  %5s  %5s  %5s  %5s  %5s\n", title, "", "images", "records", "mean", "min", "p10", "median", "p90", "max")
	}
	head("SSIM by image category")
	for _, st := range s.ByCategory {
		row(st)
	}
	row(s.Overall)
	for _, ps := range s.ByParam {
		head("\nSSIM by " + ps.Name)
		for _, st := range ps.Bins {
			row(st)
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}
