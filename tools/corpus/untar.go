package corpus

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"strings"
)

// Limits on what an archive may hold. The largest pinned package is a 62 MB
// tarball of about 3,800 files; the largest PNG taken is under 100 kB.
const (
	maxTarball    = 256 << 20 // compressed size
	maxUnpacked   = 1 << 30   // all entries, decompressed
	maxEntries    = 100_000
	maxImageBytes = 4 << 20 // one PNG
)

// safeImageName matches the flat file names extracted images get.
var safeImageName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.png$`)

// entry is one eligible image in a package tarball.
type entry struct {
	name string // path inside the tarball
	out  string // flat file name to save it under
}

// walkTar reads the gzip-compressed tarball at name and calls visit for every
// regular .png file under root, with a reader for its contents. Any entry
// whose name could escape a directory is an error for the whole archive, as
// are archives beyond the size and entry limits. Links and other special
// entries are never visited.
func walkTar(name, root string, visit func(e entry, r io.Reader) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return err
	} else if st.Size() > maxTarball {
		return fmt.Errorf("%w: %s is %d bytes", ErrTooLarge, name, st.Size())
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	defer gz.Close()
	tr := tar.NewReader(&capped{r: gz, n: maxUnpacked})
	for n := 0; ; n++ {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if n >= maxEntries {
			return fmt.Errorf("%w: %s has more than %d entries", ErrTooLarge, name, maxEntries)
		}
		clean := path.Clean(h.Name)
		if escapes(h.Name) {
			return fmt.Errorf("%w: %q in %s", ErrUnsafe, h.Name, name)
		}
		rel, ok := strings.CutPrefix(clean, root)
		if !ok || h.Typeflag != tar.TypeReg || !strings.HasSuffix(rel, ".png") {
			continue
		}
		out := strings.ReplaceAll(rel, "/", "-")
		if !safeImageName.MatchString(out) {
			continue
		}
		if h.Size > maxImageBytes {
			return fmt.Errorf("%w: %s in %s is %d bytes", ErrTooLarge, h.Name, name, h.Size)
		}
		if err := visit(entry{name: clean, out: out}, io.LimitReader(tr, maxImageBytes)); err != nil {
			return err
		}
	}
}

// capped reads at most n bytes and then fails, so that a decompression bomb
// stops early instead of filling memory or time.
type capped struct {
	r io.Reader
	n int64
}

var errCapped = errors.New("decompressed archive exceeds limit")

func (c *capped) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, fmt.Errorf("%w: %w", ErrTooLarge, errCapped)
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// escapes reports whether a tar entry name could point outside the folder it
// is extracted into: absolute, climbing with "..", or using separators or
// bytes that mean something else on another system.
func escapes(name string) bool {
	clean := path.Clean(name)
	return name == "" || strings.ContainsAny(name, "\\\x00") || path.IsAbs(clean) ||
		clean == ".." || strings.HasPrefix(clean, "../") || (len(clean) > 1 && clean[1] == ':')
}
