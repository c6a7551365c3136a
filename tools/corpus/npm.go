package corpus

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// Package is a pinned npm package that real corpus images are taken from.
type Package struct {
	Name    string
	Version string
	// Integrity is the registry's published Subresource Integrity string for
	// the tarball ("sha512-" + base64); the download must match it.
	Integrity   string
	Licence     string // licence of the images, recorded per image
	Attribution string // credit line the licence asks for, if any
	Category    Category
	// Root is the folder inside the tarball whose PNGs (at any depth) are
	// eligible; it ends with a slash.
	Root string
}

// Packages returns the real corpora named in the design: Twemoji, country
// flags and Tabler icons, at pinned versions. Integrity strings are as
// published by the npm registry (npm view NAME@VERSION dist.integrity,
// checked 2026-11-25).
func Packages() []Package {
	return []Package{
		{
			Name: "emoji-datasource-twitter", Version: "16.0.0",
			Integrity: "sha512-7F+uCuHH+7Qnrc15P5tnbvKkg9E6tlzi4MnT2uW1RlN4pLYTza6cP/dstIfSDMtpjFLWuZewWg8jBbuL2eyELQ==",
			// The package's code is MIT; its Twitter images are CC-BY 4.0 (package README).
			Licence: "CC-BY-4.0", Attribution: "Twemoji graphics by Twitter, Inc. and other contributors",
			Category: Emoji, Root: "package/img/twitter/64/",
		},
		{
			Name: "svg-country-flags", Version: "1.2.10",
			Integrity: "sha512-xrqwo0TYf/h2cfPvGpjdSuSguUbri4vNNizBnwzoZnX0xGo3O5nGJMlbYEp7NOYcnPGBm6LE2axqDWSB847bLw==",
			// Flags taken from Wikipedia, not under copyright (package README).
			Licence: "public-domain", Category: Flag, Root: "package/png250px/",
		},
		{
			Name: "@tabler/icons-png", Version: "3.48.0",
			Integrity: "sha512-7tZrPHDh+PaTFgKOuPqM3hFb1X32tTH8CKIiyetXPQDpsQgj7sHJ4RJpN6V8rw1chp+ISX8XKnvrYiN+UiNavg==",
			Licence:   "MIT", Attribution: "Tabler Icons by Paweł Kuna",
			Category: Icon, Root: "package/icons/",
		},
	}
}

var (
	npmName    = regexp.MustCompile(`^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$`)
	npmVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$`)
)

// Validate checks that the package can be fetched and its files named safely.
func (p Package) Validate() error {
	switch {
	case !npmName.MatchString(p.Name):
		return fmt.Errorf("%w: name %q", ErrPackage, p.Name)
	case !npmVersion.MatchString(p.Version):
		return fmt.Errorf("%w: %s: version %q is not an exact version", ErrPackage, p.Name, p.Version)
	case p.Licence == "":
		return fmt.Errorf("%w: %s: no licence", ErrPackage, p.Name)
	case p.Category == "" || p.Category.Synthetic() || !localSlashPath(string(p.Category)) || strings.Contains(string(p.Category), "/"):
		return fmt.Errorf("%w: %s: category %q", ErrPackage, p.Name, p.Category)
	case !strings.HasSuffix(p.Root, "/") || !localSlashPath(strings.TrimSuffix(p.Root, "/")):
		return fmt.Errorf("%w: %s: root %q must be a relative folder ending in /", ErrPackage, p.Name, p.Root)
	}
	if _, err := ParseIntegrity(p.Integrity); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrPackage, p.Name, err)
	}
	return nil
}

// Tarball returns the file name npm pack gives the package's tarball.
func (p Package) Tarball() string {
	return strings.ReplaceAll(strings.TrimPrefix(p.Name, "@"), "/", "-") + "-" + p.Version + ".tgz"
}

// ParseIntegrity decodes a Subresource Integrity string and returns its
// SHA-512 digest. Other algorithms are refused: npm publishes SHA-512.
func ParseIntegrity(s string) ([]byte, error) {
	b64, ok := strings.CutPrefix(s, "sha512-")
	if !ok {
		return nil, fmt.Errorf("%w: integrity %q is not sha512-<base64>", ErrIntegrity, s)
	}
	sum, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || len(sum) != sha512.Size {
		return nil, fmt.Errorf("%w: integrity %q is not a base64 SHA-512 digest", ErrIntegrity, s)
	}
	return sum, nil
}

// verifyTarball checks the file at name against the integrity string.
func verifyTarball(name, integrity string) error {
	want, err := ParseIntegrity(integrity)
	if err != nil {
		return err
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, io.LimitReader(f, maxTarball+1)); err != nil {
		return fmt.Errorf("hash %s: %w", name, err)
	}
	if got := h.Sum(nil); !bytes.Equal(got, want) {
		return fmt.Errorf("%w: %s: got sha512-%s, want %s", ErrIntegrity, filepath.Base(name),
			base64.StdEncoding.EncodeToString(got), integrity)
	}
	return nil
}

// tarball returns the path of p's verified tarball in cache, running
// npm pack when it is not cached yet. A cached tarball that fails
// verification is an error rather than silently replaced: the cache only
// ever receives verified files, so a mismatch means tampering or a changed pin.
func tarball(ctx context.Context, p Package, cache, npm string) (string, error) {
	dst := filepath.Join(cache, p.Tarball())
	if _, err := os.Stat(dst); err == nil {
		if err := verifyTarball(dst, p.Integrity); err != nil {
			return "", fmt.Errorf("cached %s (delete it to fetch again): %w", dst, err)
		}
		return dst, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", fmt.Errorf("create cache: %w", err)
	}
	tmp, err := os.MkdirTemp(cache, ".pack-")
	if err != nil {
		return "", fmt.Errorf("create cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	spec := p.Name + "@" + p.Version
	cmd := exec.CommandContext(ctx, npm, "pack", "--silent", "--pack-destination", tmp, spec)
	cmd.Dir = tmp
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("%w: npm pack %s: %v: %s", ErrNPM, spec, err, lastLine(stderr.String()))
	}
	got := filepath.Join(tmp, p.Tarball())
	if err := verifyTarball(got, p.Integrity); err != nil {
		return "", fmt.Errorf("npm pack %s: %w", spec, err)
	}
	if err := os.Rename(got, dst); err != nil {
		return "", fmt.Errorf("cache %s: %w", spec, err)
	}
	return dst, nil
}

// lastLine returns the last non-empty line of s, where npm puts its error.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
