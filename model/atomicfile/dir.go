package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ReplaceDir builds a directory and puts it at path in one step: build
// fills a new directory beside path; every file in it is synced; then,
// when path exists, the two are exchanged in a single rename (exchange)
// and the old directory is removed, or the new one is renamed to path. A
// reader of path, and a crash at any moment, sees the old directory or the
// new one, whole, never a mixture. When build fails, the new directory is
// removed and path is untouched. Directories that builds killed before
// they finished leave behind (".NAME.new-PID-…", their process gone) are
// removed first.
func ReplaceDir(path string, build func(dir string) error) error {
	path = filepath.Clean(path)
	parent, base := filepath.Dir(path), filepath.Base(path)
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	prefix := "." + base + ".new-"
	removeStale(parent, prefix)
	tmp := filepath.Join(parent, prefix+strconv.Itoa(os.Getpid())+"-"+randomSuffix())
	if err := os.Mkdir(tmp, 0o777); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	if err := build(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := syncTree(tmp); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	if err := put(tmp, path); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	syncDir(parent)
	return os.RemoveAll(tmp) // the old directory, if there was one
}

// put moves the directory tmp to path: exchanged with path when it exists,
// renamed otherwise.
func put(tmp, path string) error {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, path)
	}
	return exchange(tmp, path)
}

// syncTree syncs every file and directory under dir, so that the rename
// that publishes dir is not durable before its contents are.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := f.Sync(); err != nil && !d.IsDir() {
			return err
		}
		return nil
	})
}

// removeStale removes directories named prefix+PID-… in parent whose
// process no longer runs: builds that were killed.
func removeStale(parent, prefix string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.IsDir() {
			continue
		}
		pid, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, '-'), 0)])
		if err == nil && pid != os.Getpid() && !running(pid) {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// swapByRenames swaps a and b through a third name: not atomic (b is
// missing between the first two renames), the fallback where exchange
// cannot be had.
func swapByRenames(a, b string) error {
	aside := a + ".old"
	if err := os.Rename(b, aside); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(aside, b)
		return err
	}
	return os.Rename(aside, a)
}
