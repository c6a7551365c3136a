package torchload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Checkpoint is a checkpoint file read into memory with its provenance.
type Checkpoint struct {
	Path    string
	SHA256  string // hex digest of the whole file
	Format  string // "pth" or "safetensors"
	Tensors StateDict
	// HashPrefix is the hex prefix found in the file name and checked
	// against SHA256; empty when the name carries none.
	HashPrefix string
}

// hashInName is torchvision's HASH_REGEX (torch/hub.py): the hex between
// the first '-' and '.' of a file name.
var hashInName = regexp.MustCompile(`-([a-f0-9]*)\.`)

// HashPrefix returns the hex prefix that torchvision's file-name convention
// puts in name ("0676ba61" for resnet50-0676ba61.pth), or "" if none.
func HashPrefix(name string) string {
	m := hashInName.FindStringSubmatch(filepath.Base(name))
	if m == nil {
		return ""
	}
	return m[1]
}

// LoadFile reads a .pth or .safetensors checkpoint (recognised by its
// contents, not its extension), after checking its SHA-256 against the
// prefix in its name when there is one.
func LoadFile(ctx context.Context, path string, lim Limits) (*Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("torchload: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("torchload: %w", err)
	}
	sum, err := hashFile(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("torchload: hashing %s: %w", path, err)
	}
	c := &Checkpoint{Path: path, SHA256: sum, HashPrefix: HashPrefix(path)}
	if c.HashPrefix != "" && !strings.HasPrefix(sum, c.HashPrefix) {
		return nil, &HashError{Path: path, Want: c.HashPrefix, Got: sum}
	}
	var head [4]byte
	f.ReadAt(head[:], 0)
	if bytes.Equal(head[:], []byte("PK\x03\x04")) || bytes.Equal(head[:2], legacyMagic[:2]) {
		c.Format = "pth"
		c.Tensors, err = ReadPTH(f, st.Size(), lim)
	} else {
		c.Format = "safetensors"
		c.Tensors, err = ReadSafetensors(f, st.Size(), lim)
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return c, nil
}

func hashFile(ctx context.Context, r io.Reader) (string, error) {
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := r.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			return hex.EncodeToString(h.Sum(nil)), nil
		}
		if err != nil {
			return "", err
		}
	}
}
