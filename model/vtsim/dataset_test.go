package vtsim

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/vtracer"
)

// The measurements below run on a dataset's records, exported as JSON
// lines, and its corpus. They are skipped unless SVGAI_RECORDS names the
// export; SVGAI_CORPUS is the corpus root (default: corpus beside the
// export's directory) and SVGAI_SPLIT the split file (default: the
// export's directory's dataset.h5.split.json). For example:
//
//	bin/svgai-tools export data/dataset.h5 --format jsonl > /tmp/records.jsonl
//	SVGAI_RECORDS=/tmp/records.jsonl SVGAI_CORPUS=$PWD/corpus SVGAI_SPLIT=$PWD/data/dataset.h5.split.json \
//	    go test -run TestDatasetAgreement -v ./model/vtsim

// record is the part of an exported dataset record the measurements read.
type record struct {
	Image  string         `json:"image_sha256"`
	Params vtracer.Params `json:"params"`
	Meta   struct {
		Path string `json:"path"`
	} `json:"image"`
	Output struct {
		Bytes int `json:"svg_bytes"`
		Paths int `json:"paths"`
	} `json:"output"`
	Quality struct {
		SSIM float64 `json:"ssim"`
	} `json:"quality"`
	split string
}

// dataset loads the records named by the environment, grouped by image,
// or skips the test.
func dataset(t *testing.T) (map[string][]record, string) {
	t.Helper()
	path := os.Getenv("SVGAI_RECORDS")
	if path == "" {
		t.Skip("set SVGAI_RECORDS to a dataset exported as JSON lines")
	}
	corpus := os.Getenv("SVGAI_CORPUS")
	if corpus == "" {
		corpus = filepath.Join(filepath.Dir(path), "..", "corpus")
	}
	splitPath := os.Getenv("SVGAI_SPLIT")
	if splitPath == "" {
		splitPath = filepath.Join(filepath.Dir(path), "dataset.h5.split.json")
	}
	var split struct {
		Assignment map[string]struct{ Split string } `json:"assignment"`
	}
	if b, err := os.ReadFile(splitPath); err == nil {
		if err := json.Unmarshal(b, &split); err != nil {
			t.Fatalf("split %s: %v", splitPath, err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byImage := map[string][]record{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		r.split = split.Assignment[r.Image].Split
		byImage[r.Image] = append(byImage[r.Image], r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return byImage, corpus
}

// TestDatasetAgreement measures the simulation against every real
// conversion of a dataset: the SSIM's mean absolute error by path mode
// and hierarchy, and the SVG size (exact share, median relative error,
// per-image Spearman correlation), raw and, on the test split, after a
// per-mode linear correction in log space fitted on the training split.
func TestDatasetAgreement(t *testing.T) {
	byImage, corpus := dataset(t)
	ctx := context.Background()
	type obs struct {
		split, group    string
		mode            vtracer.CurveMode
		ssim, simSSIM   float64
		bytes, simBytes float64
		image           string
	}
	var all []obs
	for id, recs := range byImage {
		in, err := convert.LoadFile(filepath.Join(corpus, recs[0].Meta.Path), 0)
		if err != nil {
			t.Fatal(err)
		}
		params := make([]vtracer.Params, len(recs))
		for i, r := range recs {
			params[i] = r.Params
		}
		sims, err := NewScorer(in.Image).ScoreAll(ctx, params)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			group := string(r.Params.Hierarchical)
			if r.Params.ColorMode == vtracer.Binary {
				group = "binary"
			}
			all = append(all, obs{r.split, group, r.Params.Mode, r.Quality.SSIM, sims[i].SSIM,
				float64(r.Output.Bytes), float64(sims[i].Bytes), id})
		}
	}
	summarise := func(name string, xs []obs, predict func(obs) float64) {
		var ae, rel []float64
		var bias float64
		exact := 0
		byImg := map[string][]obs{}
		for _, o := range xs {
			ae = append(ae, math.Abs(o.simSSIM-o.ssim))
			bias += o.simSSIM - o.ssim
			p := predict(o)
			rel = append(rel, math.Abs(p/o.bytes-1))
			if p == o.bytes {
				exact++
			}
			byImg[o.image] = append(byImg[o.image], o)
		}
		var rho []float64
		for _, v := range byImg {
			if len(v) < 4 {
				continue
			}
			a, b := make([]float64, len(v)), make([]float64, len(v))
			for i, o := range v {
				a[i], b[i] = predict(o), o.bytes
			}
			if r := spearman(a, b); !math.IsNaN(r) {
				rho = append(rho, r)
			}
		}
		t.Logf("%-16s n=%5d | SSIM MAE %.4f bias %+.4f | bytes exact %5.1f%%, median |rel err| %.4f, p90 %.4f | per-image Spearman median %.3f mean %.3f (%d images)",
			name, len(xs), mean(ae), bias/float64(len(xs)), 100*float64(exact)/float64(len(xs)), quantile(rel, 0.5), quantile(rel, 0.9),
			quantile(rho, 0.5), mean(rho), len(rho))
	}
	raw := func(o obs) float64 { return o.simBytes }
	pick := func(f func(obs) bool) []obs {
		var out []obs
		for _, o := range all {
			if f(o) {
				out = append(out, o)
			}
		}
		return out
	}
	modes := []vtracer.CurveMode{vtracer.None, vtracer.Polygon, vtracer.Spline}
	t.Log("raw simulation, all records:")
	summarise("all", all, raw)
	for _, m := range modes {
		summarise(string(m), pick(func(o obs) bool { return o.mode == m }), raw)
		for _, g := range []string{"stacked", "cutout", "binary"} {
			summarise("  "+string(m)+"/"+g, pick(func(o obs) bool { return o.mode == m && o.group == g }), raw)
		}
	}
	// The correction: log bytes = a + b·log simulated bytes, per mode.
	coef := map[vtracer.CurveMode][2]float64{}
	for _, m := range modes {
		var x, y []float64
		for _, o := range pick(func(o obs) bool { return o.split == "train" && o.mode == m }) {
			x, y = append(x, math.Log(o.simBytes)), append(y, math.Log(o.bytes))
		}
		coef[m] = fitLine(x, y)
		t.Logf("correction fitted on train, %s: log bytes = %.4f + %.4f log simulated bytes (%d records)", m, coef[m][0], coef[m][1], len(x))
	}
	fitted := func(o obs) float64 { c := coef[o.mode]; return math.Exp(c[0] + c[1]*math.Log(o.simBytes)) }
	t.Log("test split, raw and corrected:")
	for _, m := range append([]vtracer.CurveMode{""}, modes...) {
		test := pick(func(o obs) bool { return o.split == "test" && (m == "" || o.mode == m) })
		name := string(m)
		if m == "" {
			name = "all"
		}
		summarise(name+" raw", test, raw)
		summarise(name+" corrected", test, fitted)
	}
	// What the simulation must keep (a failure means it regressed).
	stacked := pick(func(o obs) bool { return o.group != "cutout" })
	var ae []float64
	exact := 0
	for _, o := range stacked {
		ae = append(ae, math.Abs(o.simSSIM-o.ssim))
		if o.simBytes == o.bytes {
			exact++
		}
	}
	if m := mean(ae); m > 0.003 {
		t.Errorf("stacked and binary conversions: SSIM MAE %.4f, want ≤ 0.003", m)
	}
	if share := float64(exact) / float64(len(stacked)); share < 0.99 {
		t.Errorf("stacked and binary conversions: %.1f%% of sizes exact, want ≥ 99%%", 100*share)
	}
}

// TestCandidatesReach converts, for real, every candidate parameter set
// (vtracer.Candidates) and 64 Latin-hypercube sets over the whole space
// (vtracer.LatinHypercube(64, 7)) of each image of the split named by
// SVGAI_EVAL_SPLIT (default test), and reports, at SSIM 0.85, 0.90 and
// 0.95: on how many images the candidates reach the target where the
// best of the 64 does, how the smallest candidate SVG reaching it
// compares in size with the smallest of the 64, and how the candidate
// the raw simulation picks (the smallest simulated SVG whose simulated
// SSIM reaches the target) fares with one real conversion. About 11,000
// conversions for 48 images: several minutes.
func TestCandidatesReach(t *testing.T) {
	byImage, corpus := dataset(t)
	want := cmpOr(os.Getenv("SVGAI_EVAL_SPLIT"), "test")
	ctx := context.Background()
	tr, err := tracer.NewWasm(ctx, tracer.WasmOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	conv := &convert.Converter{Tracer: tr}
	cands, random := vtracer.Candidates(), vtracer.LatinHypercube(64, 7)
	type outcome struct{ ssim, simSSIM, bytes, simBytes float64 }
	type image struct{ cands, random []outcome }
	var images []image
	var ids []string
	for id, recs := range byImage {
		if recs[0].split == want {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		in, err := convert.LoadFile(filepath.Join(corpus, byImage[id][0].Meta.Path), 0)
		if err != nil {
			t.Fatal(err)
		}
		sc := NewScorer(in.Image)
		run := func(sets []vtracer.Params) []outcome {
			sims, err := sc.ScoreAll(ctx, sets)
			if err != nil {
				t.Fatal(err)
			}
			out := make([]outcome, len(sets))
			for i, p := range sets {
				res, err := conv.Convert(ctx, in.Image, p)
				if err != nil {
					t.Fatal(err)
				}
				out[i] = outcome{res.Quality.SSIM, sims[i].SSIM, float64(len(res.SVG)), float64(sims[i].Bytes)}
			}
			return out
		}
		images = append(images, image{run(cands), run(random)})
	}
	smallest := func(xs []outcome, t float64) float64 {
		b := math.Inf(1)
		for _, o := range xs {
			if o.ssim >= t {
				b = math.Min(b, o.bytes)
			}
		}
		return b
	}
	for _, target := range []float64{0.85, 0.90, 0.95} {
		var reachable, reached, hits, beyond, promised int
		var oracle, picked []float64
		for _, im := range images {
			best, bestC := smallest(im.random, target), smallest(im.cands, target)
			var pick *outcome
			for i := range im.cands {
				if o := &im.cands[i]; o.simSSIM >= target && (pick == nil || o.simBytes < pick.simBytes) {
					pick = o
				}
			}
			if math.IsInf(best, 1) {
				if !math.IsInf(bestC, 1) {
					beyond++
				}
				if pick != nil && pick.ssim < target {
					promised++
				}
				continue
			}
			reachable++
			if !math.IsInf(bestC, 1) {
				reached++
				oracle = append(oracle, bestC/best)
			}
			if pick != nil && pick.ssim >= target {
				hits++
				picked = append(picked, pick.bytes/best)
			}
		}
		t.Logf("SSIM %.2f: the best of 64 reaches it on %d of %d images; the candidates on %d (size vs the 64's smallest: median %.3f, geometric mean %.3f); "+
			"the simulation's pick on %d with one conversion (median %.3f, geometric mean %.3f); candidates reach it on %d more images; the pick falls short where none reaches it on %d",
			target, reachable, len(images), reached, quantile(oracle, 0.5), geomean(oracle), hits, quantile(picked, 0.5), geomean(picked), beyond, promised)
		if reached < reachable {
			t.Errorf("SSIM %.2f: candidates reach it on %d images, the best of 64 on %d", target, reached, reachable)
		}
	}
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func geomean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(v)))
}

func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fitLine is the least-squares line y = a + b·x.
func fitLine(x, y []float64) [2]float64 {
	n := float64(len(x))
	var sx, sy, sxx, sxy float64
	for i := range x {
		sx, sy, sxx, sxy = sx+x[i], sy+y[i], sxx+x[i]*x[i], sxy+x[i]*y[i]
	}
	b := (n*sxy - sx*sy) / (n*sxx - sx*sx)
	return [2]float64{(sy - b*sx) / n, b}
}

// spearman is the rank correlation of a and b (ties share their mean
// rank); NaN when either is constant.
func spearman(a, b []float64) float64 {
	ra, rb := ranks(a), ranks(b)
	ma, mb := mean(ra), mean(rb)
	var sab, saa, sbb float64
	for i := range ra {
		sab += (ra[i] - ma) * (rb[i] - mb)
		saa += (ra[i] - ma) * (ra[i] - ma)
		sbb += (rb[i] - mb) * (rb[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return v[idx[i]] < v[idx[j]] })
	r := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j) / 2
		}
		i = j + 1
	}
	return r
}
