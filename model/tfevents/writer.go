package tfevents

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Writer appends events to one TensorBoard event file. It is not safe for
// concurrent use.
type Writer struct {
	f    *os.File
	w    *bufio.Writer
	path string
	now  func() time.Time
}

// Options tune a Writer; the zero value is the usual choice.
type Options struct {
	// Now is the clock for wall_time and the file name (default time.Now).
	Now func() time.Time
	// Host goes into the file name (default os.Hostname()).
	Host string
}

// Create makes dir (if needed) and starts the event file
// dir/events.out.tfevents.<unix seconds>.<host> with the file_version
// event, as TensorFlow's EventsWriter names and starts it.
func Create(dir string, opt Options) (*Writer, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Host == "" {
		h, err := os.Hostname()
		if err != nil || h == "" {
			h = "localhost"
		}
		opt.Host = h
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("tfevents: %w", err)
	}
	now := opt.Now()
	path := filepath.Join(dir, fmt.Sprintf("events.out.tfevents.%d.%s", now.Unix(), opt.Host))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("tfevents: %w", err)
	}
	wr := &Writer{f: f, w: bufio.NewWriter(f), path: path, now: opt.Now}
	if err := wr.write(fileVersionEvent(wallTime(now))); err != nil {
		f.Close()
		return nil, err
	}
	return wr, nil
}

// Path is the event file's path.
func (w *Writer) Path() string { return w.path }

func wallTime(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func (w *Writer) write(event []byte) error {
	if _, err := w.w.Write(AppendRecord(nil, event)); err != nil {
		return fmt.Errorf("tfevents: writing %s: %w", w.path, err)
	}
	return nil
}

// Scalar records one scalar at step.
func (w *Writer) Scalar(tag string, step int64, v float64) error {
	return w.write(summaryEvent(wallTime(w.now()), step, [][]byte{scalarValue(tag, float32(v))}))
}

// Scalars records several scalars at step in one event, in tag order.
func (w *Writer) Scalars(step int64, values map[string]float64) error {
	tags := make([]string, 0, len(values))
	for t := range values {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	vals := make([][]byte, len(tags))
	for i, t := range tags {
		vals[i] = scalarValue(t, float32(values[t]))
	}
	return w.write(summaryEvent(wallTime(w.now()), step, vals))
}

// Text records a text summary (Markdown) at step; TensorBoard shows it
// on the Text tab.
func (w *Writer) Text(tag string, step int64, text string) error {
	return w.write(summaryEvent(wallTime(w.now()), step, [][]byte{textValue(tag, text)}))
}

// HParamsText records hyper-parameters as a Markdown table text summary
// under tag "hparams", sorted by name.
func (w *Writer) HParamsText(hp map[string]string) error {
	keys := make([]string, 0, len(hp))
	for k := range hp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("| parameter | value |\n|---|---|\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "| %s | %s |\n", k, hp[k])
	}
	return w.Text("hparams", 0, b.String())
}

// Flush writes buffered events to the file.
func (w *Writer) Flush() error {
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("tfevents: flushing %s: %w", w.path, err)
	}
	return nil
}

// Close flushes, syncs and closes the file.
func (w *Writer) Close() error {
	err := w.Flush()
	if serr := w.f.Sync(); err == nil && serr != nil {
		err = fmt.Errorf("tfevents: syncing %s: %w", w.path, serr)
	}
	if cerr := w.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("tfevents: closing %s: %w", w.path, cerr)
	}
	return err
}
