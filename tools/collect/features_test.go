package collect

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/model/featstore"
	"github.com/svgai/svgai/model/features"
	"github.com/svgai/svgai/model/preprocess"
	"github.com/svgai/svgai/model/resnet"
	"github.com/svgai/svgai/shared/vtracer"
)

// smallExtractor is ResNet-50's topology at width 4 on 64 px inputs.
func smallExtractor(t *testing.T) *features.Extractor {
	net, err := resnet.New(resnet.RandomWeights(resnet.Config{BaseWidth: 4, NumClasses: 10}, 1), resnet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pc := preprocess.Default()
	pc.Size = 64
	pre, err := preprocess.New(pc)
	if err != nil {
		t.Fatal(err)
	}
	return features.New(net, pre)
}

func TestFeaturizeResumesAndRecordsFailures(t *testing.T) {
	ctx := context.Background()
	dir := testImages(t, "flag-jp.png", "twemoji-1f600.png", "tabler-home.png")
	// A file that looks like an image but is not: recorded, not fatal.
	if err := os.WriteFile(filepath.Join(dir, "broken.png"), []byte("\x89PNG\r\n\x1a\nnot really"), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := Sources(dir)
	if err != nil {
		t.Fatal(err)
	}
	ex := smallExtractor(t)
	path := filepath.Join(t.TempDir(), "f.h5")
	run := func(only map[string][]vtracer.Params) FeatureStats {
		store, err := featstore.Open(ctx, path, featstore.Describe(ex))
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		f := &Featurizer{Extractor: ex, Store: store, Batch: 2, Only: only, Log: hclog.NewNullLogger()}
		st, err := f.Run(ctx, srcs)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := run(nil)
	if st.Added != 3 || st.Failed != 1 || st.Present != 0 {
		t.Fatalf("first run %+v, want 3 added and 1 failed", st)
	}
	st = run(nil)
	if st.Added != 0 || st.Present != 3 {
		t.Fatalf("rerun %+v, want everything already present", st)
	}
	r, err := featstore.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Len() != 3 || r.Extractor().ID != ex.ID() {
		t.Errorf("store holds %d rows of extractor %s", r.Len(), r.Extractor().ID)
	}
	// Limiting to a dataset's images skips the others.
	st = run(map[string][]vtracer.Params{})
	if st.Images != 0 || st.Added != 0 {
		t.Errorf("empty dataset filter: %+v", st)
	}
	// A dataset's parameter sets get their simulations, once.
	in, err := convert.LoadFile(filepath.Join(dir, "flag-jp.png"), 0)
	if err != nil {
		t.Fatal(err)
	}
	coarse := vtracer.Default()
	coarse.ColorPrecision = 2
	only := map[string][]vtracer.Params{in.SHA256: {vtracer.Default(), coarse, vtracer.Default()}}
	if st = run(only); st.Images != 1 || st.Simulated != 2 {
		t.Errorf("dataset with 2 parameter sets: %+v, want 1 image and 2 simulations", st)
	}
	if st = run(only); st.Simulated != 0 {
		t.Errorf("rerun simulated %d again", st.Simulated)
	}
	r2, err := featstore.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	sim, ok := r2.Simulation(in.SHA256, coarse.Hash())
	if !ok || len(sim) != len(features.SimulationNames()) || !(sim[0] > 0 && sim[0] <= 1) {
		t.Errorf("stored simulation %v, %v", sim, ok)
	}
}
