package corpus

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tarEntry is one entry of a test archive.
type tarEntry struct {
	name string
	body string
	kind byte // tar.TypeReg when zero
	link string
}

// buildTarGz returns a gzip-compressed tar archive of entries.
func buildTarGz(t testing.TB, entries []tarEntry) []byte {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		kind := e.kind
		if kind == 0 {
			kind = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: kind, Linkname: e.link, Mode: 0o644}
		if kind == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if kind == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeTemp(t testing.TB, data []byte) string {
	name := filepath.Join(t.TempDir(), "a.tgz")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// visited walks the archive and returns "name→out" for each visited entry.
func visited(name, root string) ([]string, error) {
	var got []string
	err := walkTar(name, root, func(e entry, r io.Reader) error {
		if _, err := io.ReadAll(r); err != nil {
			return err
		}
		got = append(got, e.name+"→"+e.out)
		return nil
	})
	return got, err
}

func TestWalkTar(t *testing.T) {
	tests := []struct {
		name    string
		entries []tarEntry
		want    string // visited entries, space-separated
		err     error
	}{
		{
			name: "selects regular PNGs under root",
			entries: []tarEntry{
				{name: "package/", kind: tar.TypeDir},
				{name: "package/package.json", body: "{}"},
				{name: "package/img/a.png", body: "A"},
				{name: "package/img/sub/b.png", body: "B"},
				{name: "package/img/c.txt", body: "C"},
				{name: "package/other/d.png", body: "D"},
				{name: "./package/img/e.png", body: "E"},
				{name: "package/img/bad name.png", body: "F"},
			},
			want: "package/img/a.png→a.png package/img/sub/b.png→sub-b.png package/img/e.png→e.png",
		},
		{
			name: "symlinks and hard links are never visited",
			entries: []tarEntry{
				{name: "package/img/link.png", kind: tar.TypeSymlink, link: "/etc/passwd"},
				{name: "package/img/hard.png", kind: tar.TypeLink, link: "package/img/a.png"},
				{name: "package/img/a.png", body: "A"},
			},
			want: "package/img/a.png→a.png",
		},
		{name: "parent traversal", entries: []tarEntry{{name: "package/img/../../../evil.png", body: "x"}}, err: ErrUnsafe},
		{name: "leading dot-dot", entries: []tarEntry{{name: "../evil.png", body: "x"}}, err: ErrUnsafe},
		{name: "absolute", entries: []tarEntry{{name: "/tmp/evil.png", body: "x"}}, err: ErrUnsafe},
		{name: "backslash", entries: []tarEntry{{name: `package\..\..\evil.png`, body: "x"}}, err: ErrUnsafe},
		{name: "drive letter", entries: []tarEntry{{name: `C:evil.png`, body: "x"}}, err: ErrUnsafe},
		{name: "traversal outside root still refused", entries: []tarEntry{
			{name: "package/img/a.png", body: "A"}, {name: "elsewhere/../../x", body: "x"}}, err: ErrUnsafe},
		{name: "oversized image", entries: []tarEntry{{name: "package/img/big.png", body: strings.Repeat("x", maxImageBytes+1)}}, err: ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := visited(writeTemp(t, buildTarGz(t, tc.entries)), "package/img/")
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("error = %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("visited %s\nwant    %s", s, tc.want)
			}
		})
	}
}

func TestWalkTarNotGzip(t *testing.T) {
	if _, err := visited(writeTemp(t, []byte("plain text")), "package/"); err == nil {
		t.Error("walkTar accepted a file that is not gzip")
	}
	if _, err := visited(filepath.Join(t.TempDir(), "missing.tgz"), "package/"); err == nil {
		t.Error("walkTar accepted a missing file")
	}
}

func TestCapped(t *testing.T) {
	c := &capped{r: strings.NewReader("0123456789"), n: 4}
	got, err := io.ReadAll(c)
	if string(got) != "0123" || !errors.Is(err, ErrTooLarge) {
		t.Errorf("read %q, %v; want \"0123\", ErrTooLarge", got, err)
	}
}

// FuzzWalkTar feeds arbitrary bytes as a tarball: walkTar must not panic,
// and whatever it visits must be a safe flat name from under the root.
func FuzzWalkTar(f *testing.F) {
	f.Add(buildTarGz(f, []tarEntry{{name: "package/img/a.png", body: "A"}, {name: "package/img/s/b.png", body: "B"}}))
	f.Add(buildTarGz(f, []tarEntry{{name: "package/img/../../x.png", body: "x"}}))
	f.Add(buildTarGz(f, []tarEntry{{name: "package/img/l.png", kind: tar.TypeSymlink, link: "../../x"}}))
	f.Add([]byte{0x1f, 0x8b})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "fuzz.tgz")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_ = walkTar(name, "package/img/", func(e entry, r io.Reader) error {
			if !strings.HasPrefix(e.name, "package/img/") || escapes(e.name) || !safeImageName.MatchString(e.out) {
				t.Fatalf("visited unsafe entry %q → %q", e.name, e.out)
			}
			_, err := io.Copy(io.Discard, r)
			return err
		})
	})
}
