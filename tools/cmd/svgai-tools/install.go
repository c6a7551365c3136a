package main

import (
	"context"
	"fmt"

	"github.com/svgai/svgai/host/discover"
	"github.com/svgai/svgai/model/predictor"
	"github.com/svgai/svgai/tools/modelinstall"
)

// installCommand is install-model.
func installCommand() command {
	return command{"install-model", "install a model directory where svgai finds it from any directory", runInstallModel}
}

func runInstallModel(_ context.Context, e *env, args []string) error {
	fs := e.flags("install-model MODEL_DIR [--to DIR]")
	to := fs.String("to", "", "models `folder` to install into (default: the per-user $XDG_DATA_HOME/svgai/models, ~/.local/share/svgai/models); its latest link is what svgai uses")
	pos, err := parsePositional(fs, args, 1, "MODEL_DIR")
	if err != nil {
		return err
	}
	if _, err := predictor.LoadModel(pos[0]); err != nil {
		return fmt.Errorf("refusing to install a model that does not load: %w", err)
	}
	root := *to
	if root == "" {
		if root, err = discover.UserModelsDir(nil); err != nil {
			return err
		}
	}
	inst, err := modelinstall.Install(pos[0], root)
	if err != nil {
		return err
	}
	how := "copied to"
	if inst.Reused {
		how = "already installed as"
	}
	fmt.Fprintf(e.stdout, "model %s %s %s; %s now points at it", pos[0], how, inst.Dir, inst.Link)
	if inst.Previous != "" {
		fmt.Fprintf(e.stdout, " (previous: %s)", inst.Previous)
	}
	fmt.Fprintln(e.stdout)
	return nil
}
