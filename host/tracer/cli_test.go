package tracer

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/svgai/svgai/shared/vtracer"
)

// TestCLIArgs checks the command line built for each kind of parameter set
// against upstream's flag names and spellings (cmdapp/src/main.rs).
func TestCLIArgs(t *testing.T) {
	with := func(f func(*vtracer.Params)) vtracer.Params {
		p := vtracer.Default()
		f(&p)
		return p
	}
	defaults := []string{"--input", "in.png", "--output", "out.svg",
		"--colormode", "color", "--hierarchical", "stacked", "--mode", "spline",
		"--filter_speckle", "4", "--color_precision", "6", "--gradient_step", "16",
		"--corner_threshold", "60", "--segment_length", "4", "--splice_threshold", "45",
		"--path_precision", "2"}
	replaced := func(kv ...string) []string {
		out := slices.Clone(defaults)
		for i := 0; i < len(kv); i += 2 {
			j := slices.Index(out, kv[i])
			out[j+1] = kv[i+1]
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		p       vtracer.Params
		want    []string
		wantErr error
	}{
		{"default", vtracer.Default(), defaults, nil},
		{"binary is bw", with(func(p *vtracer.Params) { p.ColorMode = vtracer.Binary }), replaced("--colormode", "bw"), nil},
		{"none is pixel", with(func(p *vtracer.Params) { p.Mode = vtracer.None }), replaced("--mode", "pixel"), nil},
		{"others", with(func(p *vtracer.Params) {
			p.Hierarchical, p.Mode, p.FilterSpeckle, p.ColorPrecision, p.LayerDifference = vtracer.Cutout, vtracer.Polygon, 16, 8, 0
			p.CornerThreshold, p.LengthThreshold, p.SpliceThreshold, p.PathPrecision = 180, 3.75, 0, 8
		}), replaced("--hierarchical", "cutout", "--mode", "polygon", "--filter_speckle", "16", "--color_precision", "8",
			"--gradient_step", "0", "--corner_threshold", "180", "--segment_length", "3.75", "--splice_threshold", "0",
			"--path_precision", "8"), nil},
		{"max_iterations has no flag", with(func(p *vtracer.Params) { p.MaxIterations = 11 }), nil, ErrUnsupported},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cliArgs("in.png", "out.svg", tc.p)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), "max_iterations") {
					t.Fatalf("got %v, want %v naming the parameter", err, tc.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, %v\nwant %q", got, err, tc.want)
			}
		})
	}
}

// fakeCLI returns a CLI tracer on testdata/fake-vtracer.sh.
func fakeCLI(t *testing.T, opts CLIOptions) *CLI {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to run the fake vtracer")
	}
	path, err := filepath.Abs(filepath.Join("testdata", "fake-vtracer.sh"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCLI(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCLIRunsProgram runs the fake program: arguments, output and every
// way the program can fail.
func TestCLIRunsProgram(t *testing.T) {
	img := loadPNG(t, filepath.Join(iconDir, "flag-jp.png"))
	ctx := context.Background()
	c := fakeCLI(t, CLIOptions{Timeout: 300 * time.Millisecond, TempDir: t.TempDir()})
	if v := c.Version(); !strings.Contains(v, "0.6.4") {
		t.Errorf("Version() = %q, want the program's 0.6.4", v)
	}

	svg, err := c.Trace(ctx, img, vtracer.Default())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), "--colormode color --hierarchical stacked --mode spline --filter_speckle 4") {
		t.Errorf("program did not get the expected arguments: %s", svg)
	}

	for _, tc := range []struct {
		fake string
		want string
		is   error
	}{
		{"panic", "fake failure", nil},
		{"hang", "stopped", context.DeadlineExceeded},
		{"nooutput", "read vtracer CLI output", nil},
	} {
		t.Run(tc.fake, func(t *testing.T) {
			t.Setenv("FAKE_VTRACER", tc.fake)
			start := time.Now()
			_, err := c.Trace(ctx, img, vtracer.Default())
			var pe *PanicError
			msg := fmt.Sprint(err)
			if errors.As(err, &pe) {
				msg = pe.Message // the report, which the error's text leaves out
			}
			if err == nil || !strings.Contains(msg, tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v, %v) is false", err, tc.is)
			}
			if tc.fake == "panic" {
				if !errors.As(err, &pe) || strings.Contains(err.Error(), tc.want) {
					t.Errorf("not a PanicError, or its report in its message: %v", err)
				}
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v", took)
			}
		})
	}

	bad := vtracer.Default()
	bad.ColorPrecision = 9
	if _, err := c.Trace(ctx, img, bad); err == nil || !strings.Contains(err.Error(), "color_precision") {
		t.Errorf("invalid parameters: got %v, want an error naming color_precision", err)
	}
	if _, err := NewCLI(filepath.Join(t.TempDir(), "no-such-vtracer"), CLIOptions{}); err == nil {
		t.Error("NewCLI accepted a missing program")
	}
}

// TestCLIReal converts with the official program when it is installed,
// checking that upstream accepts every flag the backend passes.
func TestCLIReal(t *testing.T) {
	path, err := exec.LookPath("vtracer")
	if err != nil {
		t.Skip("the official vtracer program is not on PATH")
	}
	c, err := NewCLI(path, CLIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	img := loadPNG(t, filepath.Join(iconDir, "twemoji-2764-fe0f.png"))
	for _, name := range vtracer.PresetNames() {
		p, _ := vtracer.Preset(name)
		svg, err := c.Trace(context.Background(), img, p)
		if err != nil {
			t.Fatalf("preset %s: %v", name, err)
		}
		if !strings.Contains(string(svg), "<svg") {
			t.Errorf("preset %s: no SVG in the output", name)
		}
	}
}
