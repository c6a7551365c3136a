package collect

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/shared/imageio"
)

// maxIngestLine bounds one JSON line of existing results; real ones are
// under a kilobyte.
const maxIngestLine = 1 << 20

// maxInputBytes bounds an image file read for ingest: far above any logo,
// icon or photo the pixel limit lets through.
const maxInputBytes = 64 << 20

// IngestStats counts what Ingest did with each line: Added + Duplicates +
// NoParams + Quarantined = Lines.
type IngestStats struct {
	Lines       int // non-blank lines read
	Added       int // new records stored
	Duplicates  int // records already in the dataset
	NoParams    int // lines without parameters (`svgai metrics` output): nothing to learn from
	Quarantined int // lines whose record failed validation or whose image could not be read
	OutsideBase int // of those, lines whose image lies outside the base directory (refused unread)
}

// Ingest reads existing conversion results, the JSON lines that
// `svgai convert --json` and `svgai optimize --json` print, and stores them
// as records, re-using their measurements. The image each line names
// (field "input") is read again for its metadata and must still have the
// recorded SHA-256; it must lie inside base (a relative name is taken
// relative to base; an absolute one must name a file under it; nothing
// may lead out of it, symbolic links included). Bad lines are quarantined
// with the reason, never dropped silently; a reason names the line and the
// input as the line gave it, and the kind of failure, never the file's
// content. A bad line never hides a valid record of the same image and
// parameters: the quarantine keys it apart.
func Ingest(ctx context.Context, r io.Reader, base string, store *dataset.Store, maxPixels int, log hclog.Logger) (IngestStats, error) {
	var st IngestStats
	absBase, err := filepath.Abs(base)
	if err != nil {
		return st, fmt.Errorf("collect: ingest: base directory: %w", err)
	}
	root, err := os.OpenRoot(absBase)
	if err != nil {
		return st, fmt.Errorf("collect: ingest: base directory: %w", err)
	}
	defer root.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxIngestLine)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		st.Lines++
		var rep convert.Report
		if err := json.Unmarshal(sc.Bytes(), &rep); err != nil {
			return st, fmt.Errorf("collect: ingest line %d: %w", line, err)
		}
		if rep.Params == nil {
			st.NoParams++
			continue
		}
		rec, err := fromReport(&rep, root, absBase, maxPixels)
		if errors.Is(err, errOutside) {
			st.OutsideBase++
		}
		if err == nil {
			err = dataset.Validate(&rec)
		}
		if err != nil {
			st.Quarantined++
			reason := fmt.Errorf("ingest line %d: %w", line, err)
			log.Warn("quarantined", "line", line, "reason", reason)
			sum := sha256.Sum256(sc.Bytes())
			if _, qerr := store.Quarantine(ctx, &rec, "ingest:"+hex.EncodeToString(sum[:8]), reason); qerr != nil {
				return st, qerr
			}
			continue
		}
		n, err := store.Add(ctx, rec)
		if err != nil {
			return st, err
		}
		st.Added += n
		st.Duplicates += 1 - n
	}
	if err := sc.Err(); err != nil {
		return st, fmt.Errorf("collect: ingest: %w", err)
	}
	return st, store.Flush(ctx)
}

var (
	errNoInput = errors.New(`no "input" path: the image is needed for its metadata`)
	errOutside = errors.New("outside the base directory")
)

// fromReport turns one report into a record, reading its image from root
// (the base directory absBase). On error the record holds what the line
// said, for the quarantine.
func fromReport(rep *convert.Report, root *os.Root, absBase string, maxPixels int) (dataset.Record, error) {
	rec := dataset.Record{
		Image:   dataset.Image{SHA256: rep.ImageSHA256, Path: rep.Input, Source: "ingest", Category: "unknown", Width: rep.Width, Height: rep.Height, Format: rep.Format},
		Params:  *rep.Params,
		Output:  dataset.Output{SVGBytes: rep.SVGBytes, Paths: rep.Paths, TraceMS: rep.MS, Tracer: rep.Tracer},
		Quality: dataset.Quality{SSIM: rep.SSIM, MSE: rep.MSE, PSNR: math.Inf(1)},
		Origin:  "ingest",
	}
	if rep.PSNR != nil {
		rec.Quality.PSNR = *rep.PSNR
	}
	if rep.Input == "" {
		return rec, errNoInput
	}
	name := rep.Input
	if filepath.IsAbs(name) {
		rel, err := filepath.Rel(absBase, name)
		if err != nil || !filepath.IsLocal(rel) {
			return rec, fmt.Errorf("input %.200q: %w %s", rep.Input, errOutside, absBase)
		}
		name = rel
	}
	if !filepath.IsLocal(name) {
		return rec, fmt.Errorf("input %.200q: %w %s", rep.Input, errOutside, absBase)
	}
	data, err := readInput(root, name)
	if errors.Is(err, errOutside) {
		return rec, fmt.Errorf("input %.200q: %w %s (a symbolic link leads out)", rep.Input, err, absBase)
	}
	if err != nil {
		return rec, fmt.Errorf("input %.200q: %w", rep.Input, err)
	}
	in, err := convert.Load(data, maxPixels)
	if err != nil {
		return rec, fmt.Errorf("input %.200q: %s", rep.Input, loadFailure(err))
	}
	if in.SHA256 != rep.ImageSHA256 {
		return rec, fmt.Errorf("input %.200q has sha256 %s now, but the result was for %.80q", rep.Input, in.SHA256, rep.ImageSHA256)
	}
	dataset.Describe(&rec.Image, in.Image)
	return rec, nil
}

// readInput reads a regular file inside root, refusing one that a symbolic
// link leads out of (os.Root's rule) and one over maxInputBytes. Errors
// say what went wrong in words of their own, never with the file's bytes.
func readInput(root *os.Root, name string) ([]byte, error) {
	f, err := root.Open(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("no such file")
	case errors.Is(err, fs.ErrPermission):
		return nil, errors.New("permission denied")
	case err != nil && strings.Contains(err.Error(), "escapes"):
		return nil, errOutside
	case err != nil:
		return nil, errors.New("cannot open the file")
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, maxInputBytes+1))
	switch {
	case err != nil:
		return nil, errors.New("read error")
	case len(data) > maxInputBytes:
		return nil, fmt.Errorf("file over %d MiB", maxInputBytes>>20)
	}
	return data, nil
}

// loadFailure names the kind of decoding failure without quoting the file
// (imageio's messages show a file's first bytes, which may be anything).
func loadFailure(err error) string {
	for _, k := range []struct {
		err  error
		what string
	}{
		{imageio.ErrEmpty, "empty file"},
		{imageio.ErrFormat, "not a PNG or JPEG image"},
		{imageio.ErrTooLarge, "image over the pixel limit"},
		{imageio.ErrTruncated, "truncated image"},
		{imageio.ErrCorrupt, "corrupt image"},
		{imageio.ErrUnsupported, "unsupported image feature"},
	} {
		if errors.Is(err, k.err) {
			return k.what
		}
	}
	return "cannot decode the image"
}
