// Package discover finds what the host runs beside itself: the
// quality-predictor plugin executable, and checks it is the one the
// configuration pins.
package discover

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/shared/checksum"
)

// Prefix starts the file name of every svgai plugin executable.
const Prefix = "svgai-plugin-"

// DefaultName is the quality-predictor plugin's file name, preferred when a
// directory holds several plugins.
const DefaultName = Prefix + "quality"

// ErrNotFound is matched (errors.Is) by Plugin's error when no plugin
// executable is where the settings say.
var ErrNotFound = errors.New("plugin not found")

// ErrChecksum is matched by Verify's error when a file's SHA-256 is not the
// pinned one.
var ErrChecksum = errors.New("checksum mismatch")

// Plugin returns the plugin executable the settings select: Path, or the
// one svgai-plugin-* executable in Dir (DefaultName when there are
// several), or the same search next to the running executable when both
// are empty.
func Plugin(s config.Plugin) (string, error) {
	if s.Path != "" {
		if err := isExecutable(s.Path); err != nil {
			return "", fmt.Errorf("%w: plugin.path: %w", ErrNotFound, err)
		}
		return s.Path, nil
	}
	dir, key := s.Dir, "plugin.dir"
	if dir == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("%w: no plugin.path or plugin.dir set, and the svgai executable's directory is unknown: %w", ErrNotFound, err)
		}
		dir, key = filepath.Dir(exe), "directory of the svgai executable"
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrNotFound, key, err)
	}
	var found []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), Prefix) && isExecutable(filepath.Join(dir, e.Name())) == nil {
			found = append(found, e.Name())
		}
	}
	switch {
	case len(found) == 0:
		return "", fmt.Errorf("%w: no %s* executable in %s %s", ErrNotFound, Prefix, key, dir)
	case len(found) == 1:
		return filepath.Join(dir, found[0]), nil
	case slices.Contains(found, DefaultName):
		return filepath.Join(dir, DefaultName), nil
	}
	return "", fmt.Errorf("%w: several plugins in %s %s (%s) and none is %s: set plugin.path", ErrNotFound, key, dir, strings.Join(found, ", "), DefaultName)
}

func isExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory, not a plugin executable", path)
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not executable", path)
	}
	return nil
}

// FileSHA256 returns the lower-case hex SHA-256 of the file at path, the
// value plugin.sha256 expects (the same as sha256sum prints).
func FileSHA256(path string) (string, error) { return checksum.File(path) }

// Verify refuses path unless its SHA-256 is want (hex, any case); the
// error matches ErrChecksum on a mismatch and says what to do.
func Verify(path, want string) error {
	got, err := FileSHA256(path)
	if err != nil {
		return fmt.Errorf("plugin %s: cannot verify plugin.sha256: %w", path, err)
	}
	if !strings.EqualFold(got, want) {
		return fmt.Errorf("%w: plugin %s has SHA-256 %s but plugin.sha256 in plugin.toml is %s; refusing to run it (reinstall the plugin, or if this binary is trusted, set plugin.sha256 to its checksum)",
			ErrChecksum, path, got, strings.ToLower(want))
	}
	return nil
}
