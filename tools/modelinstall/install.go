// Package modelinstall installs a trained model directory where svgai
// finds it (host/discover's per-user data directory, or another models
// folder): each model is copied into a folder named for its content, and
// the "latest" link is switched to it in one rename, so that a reader sees
// the old model or the new one, never half of one.
package modelinstall

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Latest is the link to the installed model svgai uses.
const Latest = "latest"

// prefix starts the name of every installed model's folder.
const prefix = "m-"

// Installed says where a model went.
type Installed struct {
	Dir      string // ROOT/m-<digest>: the copy
	Link     string // ROOT/latest, which now points at Dir
	Previous string // the folder latest pointed at before, if another
	Reused   bool   // the same model was installed already: nothing copied
}

// Install copies the model directory src into root (created if needed)
// as m-<digest of the files the predictor loads>, then points root/latest
// at it. The copy is made in a temporary folder beside it and renamed into
// place; the link is replaced by renaming a new link over it. Installed
// models other than the new one and the one latest pointed at before are
// removed. A latest that is a plain folder (from before) is kept, renamed
// to m-<its digest>.
func Install(src, root string) (Installed, error) {
	digest, err := Digest(src)
	if err != nil {
		return Installed{}, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return Installed{}, fmt.Errorf("modelinstall: %w", err)
	}
	link := filepath.Join(root, Latest)
	prev, err := adoptPlainLatest(root, link)
	if err != nil {
		return Installed{}, err
	}
	name := prefix + digest[:16]
	inst := Installed{Dir: filepath.Join(root, name), Link: link}
	if _, err := os.Stat(filepath.Join(inst.Dir, "model.json")); err == nil {
		inst.Reused = true
	} else if err := copyTree(src, root, name); err != nil {
		return Installed{}, err
	}
	if err := pointLatest(root, name); err != nil {
		return Installed{}, err
	}
	if prev != "" && prev != name {
		inst.Previous = filepath.Join(root, prev)
	}
	return inst, prune(root, name, prev)
}

// Digest is a hex SHA-256 over the files of a model directory that the
// predictor loads: model.json, the checkpoints it names, and the ResNet
// weights file when it has one. Logs, plots and event files are left out,
// so that the same model trained twice has the same digest.
func Digest(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "model.json"))
	if err != nil {
		return "", fmt.Errorf("modelinstall: %s is not a model directory: %w", dir, err)
	}
	var meta struct {
		Ensemble []string `json:"ensemble"`
		Weights  string   `json:"weights"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return "", fmt.Errorf("modelinstall: %s/model.json: %w", dir, err)
	}
	files := append([]string{"model.json", "best.ckpt"}, meta.Ensemble...)
	if meta.Weights != "" && !filepath.IsAbs(meta.Weights) {
		files = append(files, meta.Weights)
	}
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00", filepath.ToSlash(f))
		if err := hashFile(h, filepath.Join(dir, f)); err != nil {
			return "", fmt.Errorf("modelinstall: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// copyTree copies src's regular files into root/name through a temporary
// folder beside it, each file synced, and renames it into place.
func copyTree(src, root, name string) error {
	tmp, err := os.MkdirTemp(root, ".tmp-"+name+"-")
	if err != nil {
		return fmt.Errorf("modelinstall: %w", err)
	}
	fail := func(err error) error {
		os.RemoveAll(tmp)
		return fmt.Errorf("modelinstall: copy %s: %w", src, err)
	}
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil || rel == "." {
			return err
		}
		dst := filepath.Join(tmp, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(path, dst)
	})
	if err != nil {
		return fail(err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, filepath.Join(root, name)); err != nil {
		return fail(err)
	}
	syncDir(root)
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// pointLatest makes root/latest a relative link to name: a new link beside
// it, renamed over the old one.
func pointLatest(root, name string) error {
	tmp := filepath.Join(root, ".latest-"+name)
	os.Remove(tmp)
	if err := os.Symlink(name, tmp); err != nil {
		return fmt.Errorf("modelinstall: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(root, Latest)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("modelinstall: point %s at %s: %w", Latest, name, err)
	}
	syncDir(root)
	return nil
}

// adoptPlainLatest returns the folder name latest points at (""
// when there is none). A latest that is a plain folder is renamed to its
// m-<digest> name first, so that the link can replace it.
func adoptPlainLatest(root, link string) (string, error) {
	fi, err := os.Lstat(link)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("modelinstall: %w", err)
	case fi.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(link)
		return filepath.Base(target), err
	case !fi.IsDir():
		return "", fmt.Errorf("modelinstall: %s is neither a link nor a folder", link)
	}
	digest, err := Digest(link)
	if err != nil {
		return "", err
	}
	name := prefix + digest[:16]
	if _, err := os.Stat(filepath.Join(root, name)); err == nil {
		return name, os.RemoveAll(link)
	}
	return name, os.Rename(link, filepath.Join(root, name))
}

// prune removes installed models other than keep and prev, and temporary
// folders a crash left behind.
func prune(root, keep, prev string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return fmt.Errorf("modelinstall: %w", err)
	}
	var errs []error
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		old := strings.HasPrefix(n, prefix) && n != keep && n != prev
		if old || (strings.HasPrefix(n, ".tmp-") && stale(filepath.Join(root, n))) {
			errs = append(errs, os.RemoveAll(filepath.Join(root, n)))
		}
	}
	return errors.Join(errs...)
}

// stale reports a temporary folder older than an hour: left by a crash,
// not by an install still running.
func stale(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && time.Since(fi.ModTime()) > time.Hour
}

// syncDir makes a rename in dir durable (best effort: some file systems
// cannot sync folders).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
