package tracer

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/shared/vtracer"
)

// CLIOptions configure NewCLI. The zero value is ready to use.
type CLIOptions struct {
	// Timeout bounds each conversion on top of the caller's context; 0
	// selects DefaultTimeout.
	Timeout time.Duration
	// TempDir is where input and output files are written; "" selects
	// os.TempDir().
	TempDir string
	// Logger receives diagnostics; nil discards them.
	Logger hclog.Logger
}

// CLI runs the official vtracer command-line program (visioncortex/vtracer
// cmdapp) once per conversion, through files. It is safe for concurrent use.
type CLI struct {
	path    string
	version string
	opts    CLIOptions
	log     hclog.Logger
}

var _ Tracer = (*CLI)(nil)

// versionTimeout bounds `vtracer --version` in NewCLI.
const versionTimeout = 10 * time.Second

// NewCLI returns a tracer that runs the vtracer program at path; a path
// without a separator is looked up in PATH ("" means "vtracer").
func NewCLI(path string, opts CLIOptions) (*CLI, error) {
	if path == "" {
		path = "vtracer"
	}
	resolved, err := exec.LookPath(path)
	if err != nil {
		return nil, fmt.Errorf("tracer: vtracer command-line program: %w", err)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	c := &CLI{path: resolved, opts: opts, log: opts.Logger}
	if c.log == nil {
		c.log = hclog.NewNullLogger()
	}
	c.log = c.log.Named("tracer")
	c.version = "vtracer CLI " + c.upstreamVersion() + " (" + resolved + ")"
	return c, nil
}

// upstreamVersion asks the program for its version. Upstream's clap app is
// named "visioncortex VTracer X.Y.Z", which `--version` (or, in builds that
// lack the flag, the first line of `--help`) prints.
func (c *CLI) upstreamVersion() string {
	for _, flag := range []string{"--version", "--help"} {
		ctx, cancel := context.WithTimeout(context.Background(), versionTimeout)
		out, err := exec.CommandContext(ctx, c.path, flag).Output()
		cancel()
		if err != nil {
			c.log.Debug("vtracer "+flag+" failed", "error", err)
			continue
		}
		if v := versionRE.FindString(string(out)); v != "" {
			return v
		}
	}
	return "(version unknown)"
}

// versionRE matches the first version number in a program's banner.
var versionRE = regexp.MustCompile(`\b[0-9]+\.[0-9]+(\.[0-9]+)?\b`)

// Version names the program and its upstream version.
func (c *CLI) Version() string { return c.version }

// Close does nothing: the CLI backend holds no resources between
// conversions.
func (c *CLI) Close() error { return nil }

// Trace writes img as a PNG, runs the program on it under ctx and returns
// the SVG it wrote.
func (c *CLI) Trace(ctx context.Context, img *image.NRGBA, p vtracer.Params) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("tracer: %w", err)
	}
	if err := checkImage(img); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(c.opts.TempDir, "svgai-vtracer-")
	if err != nil {
		return nil, fmt.Errorf("tracer: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.svg")
	args, err := cliArgs(in, out, p)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("tracer: encode input PNG: %w", err)
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		return nil, fmt.Errorf("tracer: write input PNG: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.path, args...)
	cmd.WaitDelay = time.Second // don't wait on a killed program's pipes
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, fmt.Errorf("tracer: vtracer CLI stopped: %w", cerr)
		}
		// Upstream reports bad input and failures by panicking.
		pe := &PanicError{Message: strings.TrimSpace(stderr.String()), Err: fmt.Errorf("vtracer CLI: %w", err)}
		c.log.Warn("vtracer CLI failed", "error", err, "report", pe.Message)
		return nil, pe
	}
	svg, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("tracer: read vtracer CLI output: %w", err)
	}
	return svg, nil
}

// cliArgs builds the command line for one conversion. Flag names and value
// spellings are upstream's (cmdapp/src/main.rs, config_from_args). Every
// parameter is passed explicitly so that the program's defaults never
// matter.
func cliArgs(in, out string, p vtracer.Params) ([]string, error) {
	// The command line has no flag for max_iterations: it always runs
	// Config::default()'s 10.
	if def := vtracer.Default().MaxIterations; p.MaxIterations != def {
		return nil, fmt.Errorf("%w: max_iterations = %d (the vtracer command line always uses %d)", ErrUnsupported, p.MaxIterations, def)
	}
	// --colormode takes `bw` for binary; any other value, including
	// "binary", selects colour.
	colormode := "color"
	if p.ColorMode == vtracer.Binary {
		colormode = "bw"
	}
	itoa := strconv.Itoa
	return []string{
		"--input", in,
		"--output", out,
		"--colormode", colormode,
		"--hierarchical", string(p.Hierarchical),
		"--mode", p.Mode.Upstream(), // `pixel` for none
		"--filter_speckle", itoa(p.FilterSpeckle),
		"--color_precision", itoa(p.ColorPrecision),
		"--gradient_step", itoa(p.LayerDifference), // layer_difference
		"--corner_threshold", itoa(p.CornerThreshold),
		"--segment_length", strconv.FormatFloat(p.LengthThreshold, 'g', -1, 64), // length_threshold
		"--splice_threshold", itoa(p.SpliceThreshold),
		"--path_precision", itoa(p.PathPrecision),
	}, nil
}
