package corpus

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testPackage builds a small package tarball of n real PNGs in a fresh cache
// and returns the package pinned to its integrity, and the cache directory.
func testPackage(t *testing.T, n int) (Package, string) {
	entries := []tarEntry{{name: "package/package.json", body: `{"name":"test-icons"}`}}
	for i := range n {
		img, err := Draw(Simple, uint64(i), 16+i, 16)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, tarEntry{name: fmt.Sprintf("package/png/i%02d.png", i), body: b.String()})
	}
	data := buildTarGz(t, entries)
	sum := sha512.Sum512(data)
	p := Package{
		Name: "@test/icons", Version: "1.0.0", Integrity: "sha512-" + base64.StdEncoding.EncodeToString(sum[:]),
		Licence: "MIT", Category: Icon, Root: "package/png/",
	}
	cache := t.TempDir()
	if err := os.WriteFile(filepath.Join(cache, p.Tarball()), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p, cache
}

// offline returns fetch options that use the cache only: npm is a path that
// does not exist, so any attempt to download fails the test.
func offline(p Package, cache string, per int, seed uint64) FetchOptions {
	return FetchOptions{Seed: seed, PerPackage: per, CacheDir: cache, NPM: "/nonexistent/npm", Packages: []Package{p}}
}

func TestFetchFromCache(t *testing.T) {
	p, cache := testPackage(t, 20)
	dir := t.TempDir()
	items, err := Fetch(context.Background(), dir, offline(p, cache, 5, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 5 {
		t.Fatalf("%d items, want 5", len(items))
	}
	for _, it := range items {
		if err := it.Validate(); err != nil {
			t.Error(err)
		}
		if it.Package != p.Name || it.Version != p.Version || it.Licence != "MIT" || it.Category != Icon || it.Seed != 1 {
			t.Errorf("%s: wrong provenance %+v", it.File, it)
		}
		if want := "package/png/" + strings.TrimPrefix(it.File, "icon/"); it.Upstream != want {
			t.Errorf("%s: upstream %s, want %s", it.File, it.Upstream, want)
		}
		data, err := os.ReadFile(filepath.Join(dir, it.File))
		if err != nil {
			t.Fatal(err)
		}
		if sha256Hex(data) != it.SHA256 {
			t.Errorf("%s: hash mismatch", it.File)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != it.Width || cfg.Height != it.Height {
			t.Errorf("%s: %dx%d (%v), manifest %dx%d", it.File, cfg.Width, cfg.Height, err, it.Width, it.Height)
		}
	}
	manifest, err := LoadManifest(dir)
	if err != nil || len(manifest) != 5 {
		t.Fatalf("manifest: %d items, %v", len(manifest), err)
	}

	// Same seed: same selection, nothing rewritten, same manifest bytes.
	before, _ := os.ReadFile(filepath.Join(dir, ManifestName))
	again, err := Fetch(context.Background(), dir, offline(p, cache, 5, 1))
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, ManifestName))
	if fmt.Sprint(again) != fmt.Sprint(items) || !bytes.Equal(before, after) {
		t.Error("rerun with the same seed changed the result")
	}

	// Another seed picks other images; the manifest lists only the new pick.
	other, err := Fetch(context.Background(), dir, offline(p, cache, 5, 2))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(files(other)) == fmt.Sprint(files(items)) {
		t.Errorf("seeds 1 and 2 chose the same images: %v", files(items))
	}
	manifest, _ = LoadManifest(dir)
	if fmt.Sprint(files(manifest)) != fmt.Sprint(files(other)) {
		t.Errorf("manifest %v, want %v", files(manifest), files(other))
	}

	// Asking for more than there are takes them all.
	all, err := Fetch(context.Background(), t.TempDir(), offline(p, cache, 50, 1))
	if err != nil || len(all) != 20 {
		t.Errorf("all: %d items, %v; want 20", len(all), err)
	}
}

func files(items []Item) []string {
	var f []string
	for _, it := range items {
		f = append(f, it.File)
	}
	return f
}

func TestFetchIntegrityMismatch(t *testing.T) {
	p, cache := testPackage(t, 3)
	sum := sha512.Sum512([]byte("some other tarball"))
	p.Integrity = "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
	dir := t.TempDir()
	_, err := Fetch(context.Background(), dir, offline(p, cache, 3, 1))
	if !errors.Is(err, ErrIntegrity) {
		t.Fatalf("error = %v, want ErrIntegrity", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written despite the mismatch: %v", entries)
	}
}

func TestFetchBadImage(t *testing.T) {
	data := buildTarGz(t, []tarEntry{{name: "package/png/a.png", body: "not a png"}})
	sum := sha512.Sum512(data)
	p := Package{Name: "broken", Version: "1.0.0", Integrity: "sha512-" + base64.StdEncoding.EncodeToString(sum[:]),
		Licence: "MIT", Category: Icon, Root: "package/png/"}
	cache := t.TempDir()
	if err := os.WriteFile(filepath.Join(cache, p.Tarball()), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Fetch(context.Background(), t.TempDir(), offline(p, cache, 1, 1)); err == nil || !strings.Contains(err.Error(), "decode") {
		t.Errorf("error = %v, want a decode error", err)
	}
}

func TestFetchWithoutNPM(t *testing.T) {
	p, _ := testPackage(t, 1)
	_, err := Fetch(context.Background(), t.TempDir(), offline(p, t.TempDir(), 1, 1))
	if !errors.Is(err, ErrNPM) {
		t.Errorf("error = %v, want ErrNPM", err)
	}
}

func TestFetchOptionErrors(t *testing.T) {
	good := Packages()[0]
	bad := func(f func(*Package)) []Package { p := good; f(&p); return []Package{p} }
	tests := []struct {
		name string
		opts FetchOptions
		want error
	}{
		{"no cache", FetchOptions{}, ErrOptions},
		{"negative count", FetchOptions{CacheDir: "c", PerPackage: -1}, ErrOptions},
		{"name", FetchOptions{CacheDir: "c", Packages: bad(func(p *Package) { p.Name = "../x" })}, ErrPackage},
		{"version range", FetchOptions{CacheDir: "c", Packages: bad(func(p *Package) { p.Version = "^1.0.0" })}, ErrPackage},
		{"integrity", FetchOptions{CacheDir: "c", Packages: bad(func(p *Package) { p.Integrity = "sha1-abc" })}, ErrPackage},
		{"synthetic category", FetchOptions{CacheDir: "c", Packages: bad(func(p *Package) { p.Category = Simple })}, ErrPackage},
		{"category path", FetchOptions{CacheDir: "c", Packages: bad(func(p *Package) { p.Category = "a/b" })}, ErrPackage},
		{"root", FetchOptions{CacheDir: "c", Packages: bad(func(p *Package) { p.Root = "../" })}, ErrPackage},
		{"licence", FetchOptions{CacheDir: "c", Packages: bad(func(p *Package) { p.Licence = "" })}, ErrPackage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Fetch(context.Background(), t.TempDir(), tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("error = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestPackagesValid(t *testing.T) {
	want := map[string]string{
		"emoji-datasource-twitter": "emoji-datasource-twitter-16.0.0.tgz",
		"svg-country-flags":        "svg-country-flags-1.2.10.tgz",
		"@tabler/icons-png":        "tabler-icons-png-3.48.0.tgz",
	}
	for _, p := range Packages() {
		if err := p.Validate(); err != nil {
			t.Error(err)
		}
		if got := p.Tarball(); got != want[p.Name] {
			t.Errorf("%s: tarball %s, want %s", p.Name, got, want[p.Name])
		}
	}
}

func TestParseIntegrity(t *testing.T) {
	sum := sha512.Sum512(nil)
	ok := "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
	for _, s := range []string{"", "sha512-", "sha256-" + base64.StdEncoding.EncodeToString(sum[:32]),
		"sha512-" + base64.StdEncoding.EncodeToString(sum[:63]), ok + "=", ok[:len(ok)-2] + "!!"} {
		if _, err := ParseIntegrity(s); !errors.Is(err, ErrIntegrity) {
			t.Errorf("ParseIntegrity(%q) error = %v, want ErrIntegrity", s, err)
		}
	}
	if got, err := ParseIntegrity(ok); err != nil || !bytes.Equal(got, sum[:]) {
		t.Errorf("ParseIntegrity(%q) = %x, %v", ok, got, err)
	}
}

func FuzzParseIntegrity(f *testing.F) {
	for _, p := range Packages() {
		f.Add(p.Integrity)
	}
	f.Add("sha512-")
	f.Fuzz(func(t *testing.T, s string) {
		sum, err := ParseIntegrity(s)
		if err == nil && (len(sum) != sha512.Size || "sha512-"+base64.StdEncoding.EncodeToString(sum) != s) {
			t.Fatalf("accepted %q as %x", s, sum)
		}
	})
}

// TestFetchNetwork fetches a few images of each real package with npm. It
// needs the network and runs only with SVGAI_NETWORK_TESTS=1; set
// SVGAI_NPM_CACHE to reuse a tarball cache between runs.
func TestFetchNetwork(t *testing.T) {
	if os.Getenv("SVGAI_NETWORK_TESTS") != "1" {
		t.Skip("set SVGAI_NETWORK_TESTS=1 to fetch from npm")
	}
	cache := os.Getenv("SVGAI_NPM_CACHE")
	if cache == "" {
		cache = t.TempDir()
	}
	dir := t.TempDir()
	items, err := Fetch(context.Background(), dir, FetchOptions{Seed: 1, PerPackage: 4, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	perPackage := make(map[string]int)
	for _, it := range items {
		perPackage[it.Package]++
		f, err := os.Open(filepath.Join(dir, it.File))
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", it.File, err)
		}
		t.Logf("%s %dx%d %s %s", it.File, img.Bounds().Dx(), img.Bounds().Dy(), it.Package, it.Upstream)
	}
	for _, p := range Packages() {
		if perPackage[p.Name] != 4 {
			t.Errorf("%s: %d images, want 4", p.Name, perPackage[p.Name])
		}
	}
}
