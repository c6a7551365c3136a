package featstore

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func ex(id string) Extractor {
	return Extractor{ID: id, Dim: 4, HandcraftedNames: []string{"colors", "entropy"},
		SimulationNames: []string{"sim_ssim", "sim_rmse"}, RandomWeights: true}
}

func TestRoundTripAndExtractorCheck(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.h5")
	s, err := Open(ctx, path, ex("a"))
	if err != nil {
		t.Fatal(err)
	}
	sha := strings.Repeat("1", 64)
	if ok, err := s.Add(ctx, sha, []float32{1, 2, 3, 4}, []float32{5, 6}); err != nil || !ok {
		t.Fatalf("Add = %v, %v", ok, err)
	}
	if ok, _ := s.Add(ctx, sha, []float32{9, 9, 9, 9}, []float32{9, 9}); ok {
		t.Error("second Add of the same image stored it again")
	}
	if _, err := s.Add(ctx, strings.Repeat("2", 64), []float32{1}, []float32{5, 6}); err == nil {
		t.Error("wrong feature dimension accepted")
	}
	if err := s.Fail(ctx, strings.Repeat("3", 64), errors.New("truncated PNG")); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.AddSimulation(ctx, sha, "p1", []float32{0.9, 0.1}); err != nil || !ok {
		t.Fatalf("AddSimulation = %v, %v", ok, err)
	}
	if ok, _ := s.AddSimulation(ctx, sha, "p1", []float32{0.5, 0.5}); ok {
		t.Error("second AddSimulation of the same pair stored it again")
	}
	if _, err := s.AddSimulation(ctx, sha, "p2", []float32{0.5}); err == nil {
		t.Error("wrong simulation width accepted")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	if _, err := Open(ctx, path, ex("b")); !errors.Is(err, ErrOtherExtractor) {
		t.Errorf("other extractor: err = %v, want ErrOtherExtractor", err)
	}
	other := ex("a")
	other.Dim = 8
	if _, err := Open(ctx, path, other); !errors.Is(err, ErrOtherExtractor) {
		t.Errorf("other dimension: err = %v, want ErrOtherExtractor", err)
	}

	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !reflect.DeepEqual(r.Extractor(), ex("a")) {
		t.Errorf("extractor %+v", r.Extractor())
	}
	f, h, ok := r.Get(sha)
	if !ok || !reflect.DeepEqual(f, []float32{1, 2, 3, 4}) || !reflect.DeepEqual(h, []float32{5, 6}) {
		t.Errorf("Get = %v %v %v", f, h, ok)
	}
	if reason, ok := r.Failed(strings.Repeat("3", 64)); !ok || reason != "truncated PNG" {
		t.Errorf("Failed = %q, %v", reason, ok)
	}
	if sim, ok := r.Simulation(sha, "p1"); !ok || !reflect.DeepEqual(sim, []float32{0.9, 0.1}) || !r.HasSimulation(sha, "p1") || r.HasSimulation(sha, "p2") {
		t.Errorf("Simulation = %v, %v", sim, ok)
	}
	if c := r.Counts(); c != (Counts{Images: 1, Failed: 1, Simulations: 1}) || r.Err() != nil {
		t.Errorf("Counts = %+v, Err = %v", c, r.Err())
	}
}
