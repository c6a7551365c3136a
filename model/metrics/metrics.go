// Package metrics scores SSIM predictions (the seed's metrics): MAE,
// RMSE, R², Pearson, Spearman (ties get average ranks), the share of
// predictions within ±0.02 and ±0.05 of the truth, and per-image ranking
// quality (mean Spearman across the parameter sets of one image), overall
// and by image category.
//
// Undefined statistics, such as a correlation with constant predictions or
// R² with constant targets, are reported as 0 so that reports stay valid
// JSON; Groups counts the images that had a defined ranking.
package metrics

import (
	"math"
	"slices"
	"sort"
)

// Report is one set of scores.
type Report struct {
	N         int     `json:"n"`
	MAE       float64 `json:"mae"`
	RMSE      float64 `json:"rmse"`
	R2        float64 `json:"r2"`
	Pearson   float64 `json:"pearson"`
	Spearman  float64 `json:"spearman"`
	Within002 float64 `json:"within_0_02"` // share with |pred − true| ≤ 0.02
	Within005 float64 `json:"within_0_05"` // share with |pred − true| ≤ 0.05
	// GroupSpearman is the mean over groups (images) of the Spearman
	// correlation between predictions and targets within the group, over
	// groups with at least two rows and non-constant targets.
	GroupSpearman float64 `json:"group_spearman"`
	// Groups is the number of groups GroupSpearman averages over.
	Groups int `json:"groups"`
}

// Names lists the scalar metrics in a stable order (the keys of Values).
var Names = []string{"mae", "rmse", "r2", "pearson", "spearman", "within_0_02", "within_0_05", "group_spearman"}

// Values returns the scalar metrics keyed by Names.
func (r Report) Values() map[string]float64 {
	return map[string]float64{
		"mae": r.MAE, "rmse": r.RMSE, "r2": r.R2, "pearson": r.Pearson, "spearman": r.Spearman,
		"within_0_02": r.Within002, "within_0_05": r.Within005, "group_spearman": r.GroupSpearman,
	}
}

// Summary is a Report over all rows and one per category.
type Summary struct {
	Overall    Report            `json:"overall"`
	ByCategory map[string]Report `json:"by_category,omitempty"`
}

// Evaluate scores pred against target. group (image id per row) and
// category (per row) may be nil; when category is given, every category
// gets its own Report.
func Evaluate(pred, target []float32, group, category []string) Summary {
	s := Summary{Overall: Compute(pred, target, group)}
	if category == nil {
		return s
	}
	rows := map[string][]int{}
	for i, c := range category {
		rows[c] = append(rows[c], i)
	}
	s.ByCategory = make(map[string]Report, len(rows))
	for c, idx := range rows {
		p, t := make([]float32, len(idx)), make([]float32, len(idx))
		var g []string
		if group != nil {
			g = make([]string, len(idx))
		}
		for k, i := range idx {
			p[k], t[k] = pred[i], target[i]
			if g != nil {
				g[k] = group[i]
			}
		}
		s.ByCategory[c] = Compute(p, t, g)
	}
	return s
}

// Compute scores one set of rows. group may be nil.
func Compute(pred, target []float32, group []string) Report {
	n := len(pred)
	r := Report{N: n}
	if n == 0 {
		return r
	}
	p, t := to64(pred), to64(target)
	var sae, sse, mean float64
	var w2, w5 int
	for i := range p {
		d := math.Abs(p[i] - t[i])
		sae += d
		sse += d * d
		mean += t[i]
		if d <= 0.02 {
			w2++
		}
		if d <= 0.05 {
			w5++
		}
	}
	mean /= float64(n)
	var sst float64
	for _, v := range t {
		sst += (v - mean) * (v - mean)
	}
	r.MAE = sae / float64(n)
	r.RMSE = math.Sqrt(sse / float64(n))
	if sst > 0 {
		r.R2 = 1 - sse/sst
	}
	r.Pearson = Pearson(p, t)
	r.Spearman = Spearman(p, t)
	r.Within002 = float64(w2) / float64(n)
	r.Within005 = float64(w5) / float64(n)
	if group != nil {
		r.GroupSpearman, r.Groups = groupSpearman(p, t, group)
	}
	return r
}

func to64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// Pearson is the linear correlation of a and b (0 when either is constant).
func Pearson(a, b []float64) float64 {
	n := float64(len(a))
	if len(a) < 2 {
		return 0
	}
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= n
	mb /= n
	var sab, saa, sbb float64
	for i := range a {
		x, y := a[i]-ma, b[i]-mb
		sab += x * y
		saa += x * x
		sbb += y * y
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

// Spearman is the Pearson correlation of the ranks of a and b, tied
// values sharing their average rank.
func Spearman(a, b []float64) float64 { return Pearson(Ranks(a), Ranks(b)) }

// Ranks returns 1-based ranks with ties given their average rank.
func Ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return x[idx[i]] < x[idx[j]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

func groupSpearman(p, t []float64, group []string) (float64, int) {
	rows := map[string][]int{}
	var keys []string
	for i, g := range group {
		if _, ok := rows[g]; !ok {
			keys = append(keys, g)
		}
		rows[g] = append(rows[g], i)
	}
	slices.Sort(keys) // fixed summation order
	sum, count := 0.0, 0
	for _, k := range keys {
		idx := rows[k]
		if len(idx) < 2 {
			continue
		}
		gp, gt := make([]float64, len(idx)), make([]float64, len(idx))
		constant := true
		for j, i := range idx {
			gp[j], gt[j] = p[i], t[i]
			if gt[j] != gt[0] {
				constant = false
			}
		}
		if constant {
			continue
		}
		sum += Spearman(gp, gt)
		count++
	}
	if count == 0 {
		return 0, 0
	}
	return sum / float64(count), count
}
