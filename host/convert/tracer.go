package convert

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/tracer"
)

// wasmPageMiB is how many 64 KiB WebAssembly pages make a MiB.
const wasmPageMiB = 16

// OpenTracer starts the VTracer backend that plugin.toml's [tracer] section
// selects. The caller closes it.
func OpenTracer(ctx context.Context, cfg config.Tracer, log hclog.Logger) (tracer.Tracer, error) {
	switch cfg.Backend {
	case "wasm", "":
		opts := tracer.WasmOptions{
			Timeout:          cfg.Timeout.Duration,
			MemoryLimitPages: uint32(cfg.MemoryLimitMiB) * wasmPageMiB,
			MaxIdle:          cfg.Instances,
			Logger:           log,
		}
		if cfg.WasmPath != "" {
			code, err := os.ReadFile(cfg.WasmPath)
			if err != nil {
				return nil, fmt.Errorf("tracer.wasm_path: %w", err)
			}
			opts.Module = code
		}
		return tracer.NewWasm(ctx, opts)
	case "cli":
		return tracer.NewCLI(cfg.CLIPath, tracer.CLIOptions{Timeout: cfg.Timeout.Duration, Logger: log})
	}
	return nil, fmt.Errorf(`tracer.backend = %q: want "wasm" or "cli"`, cfg.Backend)
}
