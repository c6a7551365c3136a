// Command svgai-plugin-quality is the quality-predictor plugin: the svgai
// host launches it (go-plugin, gRPC) and asks it how faithful VTracer
// conversions of an image would be. It serves the model directory given by
// --model, or $SVGAI_MODEL, or models/latest (relative to the host's
// working directory). --max-image-mib and --memory-mib set its memory
// budget (plugin/server.Options). It never writes to standard output, which
// carries the plugin handshake; logs go to standard error, which the host
// reads.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/svgai/svgai/plugin/server"
	"github.com/svgai/svgai/shared/predict"
)

func main() {
	dir := os.Getenv("SVGAI_MODEL")
	if dir == "" {
		dir = "models/latest"
	}
	fs := flag.NewFlagSet(server.Name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	model := fs.String("model", dir, "model `dir` to serve")
	maxImage := fs.Int64("max-image-mib", server.DefaultMaxImageBytes>>20, "refuse an image whose decoding and prediction would need more `MiB`")
	memory := fs.Int64("memory-mib", server.DefaultMemoryBytes>>20, "bound the images worked on at once by their estimated memory, in `MiB`; also the Go soft memory limit (plus 128 MiB) unless $GOMEMLIMIT is set")
	if err := fs.Parse(os.Args[1:]); errors.Is(err, flag.ErrHelp) {
		os.Exit(0) // -h printed the flags, as every svgai command does
	} else if err != nil {
		os.Exit(2)
	}
	if *maxImage < 1 || *memory < *maxImage {
		fmt.Fprintf(os.Stderr, "%s: want 1 <= --max-image-mib (%d) <= --memory-mib (%d)\n", server.Name, *maxImage, *memory)
		os.Exit(2)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit((*memory + 128) << 20)
	}
	log := predict.NewLogger(server.Name)
	predict.Serve(server.New(*model, server.Options{MaxImageBytes: *maxImage << 20, MemoryBytes: *memory << 20, Log: log}), log)
}
