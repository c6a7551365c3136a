package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/svgai/svgai/host/discover"
)

// modelCard is what `svgai doctor` reads of a model directory's model.json:
// how the model was trained and how it did. The host does not link the
// model packages; this is the file's documented JSON (docs/model.md).
type modelCard struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Inputs  struct {
		ResNet      bool `json:"resnet"`
		Handcrafted bool `json:"handcrafted"`
		Simulation  bool `json:"simulation"`
	} `json:"inputs"`
	ExtractorID        string       `json:"extractor_id"`
	WeightsDigest      string       `json:"weights_digest"`
	RandomWeights      bool         `json:"random_weights"`
	DatasetFingerprint string       `json:"dataset_fingerprint"`
	Ensemble           []string     `json:"ensemble"`
	Val                *figuresJSON `json:"val"`
	Test               *figuresJSON `json:"test"`
	dir                string       `json:"-"`
}

// figuresJSON is a split's figures in model.json.
type figuresJSON struct {
	Overall struct {
		N             int     `json:"n"`
		Pearson       float64 `json:"pearson"`
		MAE           float64 `json:"mae"`
		GroupSpearman float64 `json:"group_spearman"`
	} `json:"overall"`
}

// readModelCard reads dir/model.json.
func readModelCard(dir string) (*modelCard, error) {
	data, err := os.ReadFile(filepath.Join(dir, discover.ModelFile))
	if err != nil {
		return nil, err
	}
	var c modelCard
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s/%s: %w", dir, discover.ModelFile, err)
	}
	c.dir = dir
	return &c, nil
}

// describe says how the model was trained and how it did, in lines.
func (c *modelCard) describe() []string {
	in := []string{"parameters"}
	for _, x := range []struct {
		on   bool
		name string
	}{{c.Inputs.Handcrafted, "handcrafted features"}, {c.Inputs.Simulation, "simulated conversion"}, {c.Inputs.ResNet, "ResNet-50 features"}} {
		if x.on {
			in = append(in, x.name)
		}
	}
	weights := "pretrained ImageNet ResNet-50 weights"
	if c.RandomWeights {
		weights = "RANDOMLY INITIALISED ResNet-50 weights (not pretrained)"
	}
	lines := []string{
		fmt.Sprintf("%s v%d, inputs: %s; %d-model ensemble for the uncertainty", c.Format, c.Version, strings.Join(in, ", "), len(c.Ensemble)),
		fmt.Sprintf("features from %s (digest %s, extractor %s)", weights, short(c.WeightsDigest), c.ExtractorID),
		fmt.Sprintf("dataset fingerprint %s; model.json written %s", short(c.DatasetFingerprint), modelFileInfo(c.dir)),
	}
	fig := func(split string, f *figuresJSON) string {
		if f == nil || f.Overall.N == 0 {
			return split + ": no figures in model.json"
		}
		o := f.Overall
		return fmt.Sprintf("%s: Pearson %.3f, MAE %.4f, per-image Spearman %.3f (%d rows)", split, o.Pearson, o.MAE, o.GroupSpearman, o.N)
	}
	lines = append(lines, fig("validation", c.Val))
	if c.Test != nil {
		lines = append(lines, fig("test split (images never seen)", c.Test))
	} else {
		lines = append(lines, "test split: not evaluated (svgai-tools evaluate --model DIR records it)")
	}
	return lines
}

// short abbreviates a hex digest for display.
func short(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	if h == "" {
		return "(none)"
	}
	return h
}
