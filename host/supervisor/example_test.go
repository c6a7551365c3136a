package supervisor_test

import (
	"context"
	"os"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/abtest"
	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// The optimizer's side: ask the plugin, and on any error fall back to real
// conversions, logging each kind of fallback once.
func Example() {
	log := hclog.New(&hclog.LoggerOptions{Name: "svgai"})
	settings, features := config.DefaultPlugin(), config.DefaultFeatures()
	pred := supervisor.Disabled()
	if features.Prediction {
		pred = supervisor.New(settings, supervisor.Options{Logger: log})
	}
	defer pred.Close()
	fallbacks := &supervisor.FallbackLog{Logger: log}

	data, _ := os.ReadFile("logo.png")
	img := predict.NewImage(data)
	if abtest.Assign(features, img.SHA256) == abtest.Classic {
		return // classic search
	}
	preds, err := pred.Predict(context.Background(), img, vtracer.LatinHypercube(64, 1))
	if err != nil {
		fallbacks.Log(err) // then classic search; never an error to the user
		return
	}
	for _, p := range preds {
		if p.ProbAtLeast(0.97) >= features.MinConfidence {
			_ = p // a candidate worth one real conversion
		}
	}
}
