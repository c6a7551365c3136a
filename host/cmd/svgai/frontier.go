package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/engine"
	"github.com/svgai/svgai/shared/cli"
)

// runFrontier prints the image's predicted quality-versus-size front (svgai
// optimize --frontier): JSON lines (one point each: params and prediction)
// or a table.
func runFrontier(ctx context.Context, e *cli.Env, image string, loadConfig func() (config.Config, error), model string, asJSON bool) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	in, err := loadImage(e, image, cfg.Input)
	if err != nil {
		return err
	}
	eng, err := engine.Open(ctx, cfg, engine.Options{Log: e.Log, Model: model})
	if err != nil {
		return err
	}
	defer eng.Close()
	front, err := eng.Frontier(ctx, in)
	if err != nil {
		return fmt.Errorf("no front (the quality-predictor plugin is needed; see `svgai doctor`): %w", err)
	}
	if asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetEscapeHTML(false)
		for _, p := range front {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		return nil
	}
	minConf := eng.Features.MinConfidence
	fmt.Fprintf(e.Stdout, "%s: %d of %d candidates on the predicted front\n", name(image), len(front), len(eng.Candidates))
	tw := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "SSIM\t±\tSSIM at %.0f%%\tbytes\tpaths\tmode\tcolormode\thierarchical\tprecision\tlayers\tspeckle\tdecimals\t\n", 100*minConf)
	for _, p := range front {
		q, ps := p.Prediction, p.Params
		fmt.Fprintf(tw, "%.4f\t%.4f\t%.4f\t%.0f\t%.0f\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t\n", q.SSIM, q.Uncertainty, q.Quantile(1-minConf),
			q.SVGBytes, q.Paths, ps.Mode, ps.ColorMode, ps.Hierarchical, ps.ColorPrecision, ps.LayerDifference, ps.FilterSpeckle, ps.PathPrecision)
	}
	return tw.Flush()
}
