package discover

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/svgai/svgai/host/config"
)

// ChecksumSuffix names the checksum file beside a plugin executable:
// `make build` writes bin/svgai-plugin-quality.sha256 in sha256sum's
// format, and the host pins the plugin to it.
const ChecksumSuffix = ".sha256"

// ErrUnpinned is matched by PinFor's error when nothing pins the plugin
// and plugin.allow_unpinned is off.
var ErrUnpinned = errors.New("plugin not pinned")

// ErrUntrusted is matched by PinFor's error when a plugin.toml the host
// found by itself in the working directory chooses the program to run.
var ErrUntrusted = errors.New("plugin chosen by an implicit configuration")

// Pin is the SHA-256 a plugin executable must have, and where it came from.
type Pin struct {
	SHA256 string // lower-case hex; "" when unpinned (plugin.allow_unpinned)
	Source string // for people: "plugin.sha256 in FILE", "FILE.sha256"
}

// PinFor returns what the plugin executable at path must hash to:
// plugin.sha256 when set, else the checksum file beside it (path +
// ChecksumSuffix). Without either it fails with ErrUnpinned, unless
// plugin.allow_unpinned is on. It fails with ErrUntrusted when s was read
// from a plugin.toml found implicitly that sets keys choosing the program
// (config.Plugin.ProgramKeys): a file in whatever directory svgai runs in
// must not be able to make it launch another program.
func PinFor(s config.Plugin, path string) (Pin, error) {
	if keys := s.ProgramKeys(); s.Implicit != "" && len(keys) > 0 {
		return Pin{}, fmt.Errorf("%w: %s sets %s; keys that choose the program svgai runs are honoured only in a file named with --config (this one was read because it is in the working directory)",
			ErrUntrusted, s.Implicit, strings.Join(keys, ", "))
	}
	if s.SHA256 != "" {
		return Pin{SHA256: strings.ToLower(s.SHA256), Source: "plugin.sha256"}, nil
	}
	file := path + ChecksumSuffix
	sum, err := readChecksumFile(file)
	switch {
	case err == nil:
		return Pin{SHA256: sum, Source: file}, nil
	case !errors.Is(err, os.ErrNotExist):
		return Pin{}, err
	case s.AllowUnpinned:
		return Pin{Source: "none (plugin.allow_unpinned = true)"}, nil
	}
	return Pin{}, fmt.Errorf("%w: %s has no checksum file %s and plugin.sha256 is not set; run `make build` (which writes it), set plugin.sha256 in a configuration given with --config, or set plugin.allow_unpinned = true there to run it unverified",
		ErrUnpinned, path, file)
}

// readChecksumFile reads a checksum file in sha256sum's format (the hex
// digest first, then optionally the file name).
func readChecksumFile(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return "", fmt.Errorf("checksum file %s is empty", file)
	}
	sum := strings.ToLower(fields[0])
	if b, err := hex.DecodeString(sum); err != nil || len(b) != 32 {
		return "", fmt.Errorf("checksum file %s: %.80q is not a SHA-256 in hex", file, fields[0])
	}
	return sum, nil
}
