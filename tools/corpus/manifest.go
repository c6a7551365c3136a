package corpus

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ManifestName is the file, in a corpus directory, that lists its images.
const ManifestName = "manifest.jsonl"

// Sources of corpus images.
const (
	SourceSynthetic = "synthetic" // drawn by this package's generator
	SourceNPM       = "npm"       // taken from a pinned npm package
)

// maxManifestLine bounds one manifest line; real lines are a few hundred bytes.
const maxManifestLine = 64 << 10

// Item describes one corpus image: one line of the manifest.
type Item struct {
	File        string   `json:"file"` // slash-separated, relative to the corpus directory
	SHA256      string   `json:"sha256"`
	Category    Category `json:"category"`
	Width       int      `json:"width"`
	Height      int      `json:"height"`
	Source      string   `json:"source"`
	Licence     string   `json:"licence"`
	Attribution string   `json:"attribution,omitempty"`
	// Seed reproduces the image with Draw (synthetic) or the selection from
	// its package (npm).
	Seed      uint64 `json:"seed"`
	Generator string `json:"generator,omitempty"` // GeneratorVersion, synthetic only
	Package   string `json:"package,omitempty"`   // npm only
	Version   string `json:"version,omitempty"`   // npm only
	Upstream  string `json:"upstream_path,omitempty"`
}

// Validate reports whether it is a well-formed manifest entry.
func (it Item) Validate() error {
	switch {
	case !localSlashPath(it.File) || !strings.HasSuffix(it.File, ".png"):
		return fmt.Errorf("%w: file %q is not a relative .png path", ErrManifest, it.File)
	case !isHexSHA256(it.SHA256):
		return fmt.Errorf("%w: %s: sha256 %q is not 64 lower-case hex digits", ErrManifest, it.File, it.SHA256)
	case it.Category == "":
		return fmt.Errorf("%w: %s: no category", ErrManifest, it.File)
	case it.Width < 1 || it.Height < 1 || it.Width > MaxSide || it.Height > MaxSide:
		return fmt.Errorf("%w: %s: size %dx%d outside 1..%d", ErrManifest, it.File, it.Width, it.Height, MaxSide)
	case it.Licence == "":
		return fmt.Errorf("%w: %s: no licence", ErrManifest, it.File)
	}
	switch it.Source {
	case SourceSynthetic:
		if !it.Category.Synthetic() || it.Generator == "" {
			return fmt.Errorf("%w: %s: synthetic entry needs a synthetic category and a generator", ErrManifest, it.File)
		}
	case SourceNPM:
		if it.Package == "" || it.Version == "" || it.Upstream == "" {
			return fmt.Errorf("%w: %s: npm entry needs package, version and upstream path", ErrManifest, it.File)
		}
	default:
		return fmt.Errorf("%w: %s: unknown source %q", ErrManifest, it.File, it.Source)
	}
	return nil
}

// ReadManifest parses a manifest: one JSON object per line, blank lines
// ignored. Unknown fields, invalid entries and repeated files are errors.
func ReadManifest(r io.Reader) ([]Item, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxManifestLine)
	var items []Item
	seen := make(map[string]int)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var it Item
		if err := dec.Decode(&it); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrManifest, n, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("%w: line %d: more than one object", ErrManifest, n)
		}
		if err := it.Validate(); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if prev, ok := seen[it.File]; ok {
			return nil, fmt.Errorf("%w: line %d: %s already listed on line %d", ErrManifest, n, it.File, prev)
		}
		seen[it.File] = n
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	return items, nil
}

// WriteManifest writes items, one JSON line each, in the order given.
func WriteManifest(w io.Writer, items []Item) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := it.Validate(); err != nil {
			return err
		}
		if err := enc.Encode(it); err != nil {
			return fmt.Errorf("encode %s: %w", it.File, err)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// LoadManifest reads dir's manifest; a missing manifest is an empty one.
func LoadManifest(dir string) ([]Item, error) {
	f, err := os.Open(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open manifest: %w", err)
	}
	defer f.Close()
	items, err := ReadManifest(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name(), err)
	}
	return items, nil
}

// saveManifest replaces the manifest in root with old entries that keep
// accepts plus fresh, sorted by file so that reruns give identical bytes.
func saveManifest(root *os.Root, old []Item, keep func(Item) bool, fresh []Item) error {
	byFile := make(map[string]Item)
	for _, it := range old {
		if keep(it) {
			byFile[it.File] = it
		}
	}
	for _, it := range fresh {
		byFile[it.File] = it
	}
	all := make([]Item, 0, len(byFile))
	for _, it := range byFile {
		all = append(all, it)
	}
	slices.SortFunc(all, func(a, b Item) int { return strings.Compare(a.File, b.File) })
	var b bytes.Buffer
	if err := WriteManifest(&b, all); err != nil {
		return err
	}
	return writeAtomic(root, ManifestName, b.Bytes())
}

// localSlashPath reports whether p is a clean relative slash path that stays
// inside its directory on every operating system.
func localSlashPath(p string) bool {
	return p != "" && !strings.ContainsAny(p, "\\:\x00") && filepath.IsLocal(p) &&
		filepath.ToSlash(filepath.Clean(filepath.FromSlash(p))) == p
}

func isHexSHA256(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32 && strings.ToLower(s) == s
}
