// Command svgai-plugin-quality is the quality-predictor plugin: the svgai
// host launches it (go-plugin, gRPC) and asks it how faithful VTracer
// conversions of an image would be. It serves the model directory given by
// --model, or $SVGAI_MODEL, or models/latest (relative to the host's
// working directory). It never writes to standard output, which carries the
// plugin handshake; logs go to standard error, which the host reads.
package main

import (
	"flag"
	"os"

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
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	log := predict.NewLogger(server.Name)
	predict.Serve(server.New(*model, log), log)
}
