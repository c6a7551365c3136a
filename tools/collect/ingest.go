package collect

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/hashicorp/go-hclog"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/model/dataset"
)

// maxIngestLine bounds one JSON line of existing results; real ones are
// under a kilobyte.
const maxIngestLine = 1 << 20

// IngestStats counts what Ingest did with each line.
type IngestStats struct {
	Lines       int // non-blank lines read
	Added       int // new records stored
	Duplicates  int // records already in the dataset
	NoParams    int // lines without parameters (`svgai metrics` output): nothing to learn from
	Quarantined int // lines whose record failed validation or whose image could not be read
}

// Ingest reads existing conversion results, the JSON lines that
// `svgai convert --json` and `svgai optimize --json` print, and stores them
// as records, re-using their measurements. The image each line names
// (field "input", relative to baseDir unless absolute) is read again for
// its metadata and must still have the recorded SHA-256. Bad lines are
// quarantined with the reason, never dropped silently.
func Ingest(ctx context.Context, r io.Reader, baseDir string, store *dataset.Store, maxPixels int, log hclog.Logger) (IngestStats, error) {
	var st IngestStats
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
		rec, err := fromReport(&rep, baseDir, maxPixels)
		if err == nil {
			err = dataset.Validate(&rec)
		}
		if err != nil {
			st.Quarantined++
			log.Warn("quarantined", "line", line, "reason", err)
			if _, qerr := store.Quarantine(ctx, &rec, fmt.Errorf("ingest line %d: %w", line, err)); qerr != nil {
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

var errNoInput = errors.New(`no "input" path: the image is needed for its metadata`)

// fromReport turns one report into a record. On error the record holds
// what the line said, for the quarantine.
func fromReport(rep *convert.Report, baseDir string, maxPixels int) (dataset.Record, error) {
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
	path := rep.Input
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	in, err := convert.LoadFile(path, maxPixels)
	if err != nil {
		return rec, err
	}
	if in.SHA256 != rep.ImageSHA256 {
		return rec, fmt.Errorf("%s has sha256 %s now, but the result was for %s", path, in.SHA256, rep.ImageSHA256)
	}
	dataset.Describe(&rec.Image, in.Image)
	return rec, nil
}
