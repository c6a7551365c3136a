package plugin

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Prefix starts the file name of every svgai plugin executable.
const Prefix = "svgai-plugin-"

// DefaultName is the quality-predictor plugin's file name, preferred when a
// directory holds several plugins.
const DefaultName = Prefix + "quality"

// Find returns the plugin executable the settings select: Path, or the one
// svgai-plugin-* executable in Dir (DefaultName when there are several), or
// the same search next to the running executable when both are empty. When
// nothing is found the error matches ErrUnavailable with ReasonMissing.
func Find(s Settings) (string, error) {
	if s.Path != "" {
		if err := isExecutable(s.Path); err != nil {
			return "", unavailable(ReasonMissing, fmt.Errorf("plugin.path: %w", err))
		}
		return s.Path, nil
	}
	dir, key := s.Dir, "plugin.dir"
	if dir == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", unavailable(ReasonMissing, fmt.Errorf("no plugin.path or plugin.dir set, and the svgai executable's directory is unknown: %w", err))
		}
		dir, key = filepath.Dir(exe), "directory of the svgai executable"
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", unavailable(ReasonMissing, fmt.Errorf("%s: %w", key, err))
	}
	var found []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), Prefix) {
			continue
		}
		if isExecutable(filepath.Join(dir, e.Name())) == nil {
			found = append(found, e.Name())
		}
	}
	switch {
	case len(found) == 0:
		return "", unavailable(ReasonMissing, fmt.Errorf("no %s* executable in %s %s", Prefix, key, dir))
	case len(found) == 1:
		return filepath.Join(dir, found[0]), nil
	case slices.Contains(found, DefaultName):
		return filepath.Join(dir, DefaultName), nil
	}
	return "", unavailable(ReasonMissing, fmt.Errorf("several plugins in %s %s (%s) and none is %s: set plugin.path", key, dir, strings.Join(found, ", "), DefaultName))
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
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// errChecksum is the cause of a ReasonChecksum refusal.
var errChecksum = errors.New("checksum mismatch")

// verifyChecksum refuses path unless its SHA-256 is want (hex, any case).
func verifyChecksum(path, want string) error {
	got, err := FileSHA256(path)
	if err != nil {
		return unavailable(ReasonChecksum, fmt.Errorf("plugin %s: cannot verify plugin.sha256: %w", path, err))
	}
	if !strings.EqualFold(got, want) {
		return unavailable(ReasonChecksum, fmt.Errorf("%w: plugin %s has SHA-256 %s but plugin.sha256 in plugin.toml is %s; refusing to run it (reinstall the plugin, or if this binary is trusted, set plugin.sha256 to its checksum)",
			errChecksum, path, got, strings.ToLower(want)))
	}
	return nil
}
