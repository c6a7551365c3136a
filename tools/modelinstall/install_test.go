package modelinstall

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svgai/svgai/host/discover"
)

// fakeModel writes a model directory with the files Digest reads and some
// it leaves out; tag changes the checkpoint.
func fakeModel(t *testing.T, tag, events string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"model.json":                    `{"ensemble":["ensemble/fold-0/best.ckpt"],"weights":""}`,
		"best.ckpt":                     "main " + tag,
		"ensemble/fold-0/best.ckpt":     "member",
		"events.out.tfevents." + events: "log",
		"learning_curves.png":           "png " + events,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func latest(t *testing.T, root string) string {
	t.Helper()
	target, err := os.Readlink(filepath.Join(root, Latest))
	if err != nil {
		t.Fatal(err)
	}
	return target
}

func TestInstall(t *testing.T) {
	root := filepath.Join(t.TempDir(), "svgai", "models")
	a1 := fakeModel(t, "a", "1")
	first, err := Install(a1, root)
	if err != nil || first.Reused || latest(t, root) != filepath.Base(first.Dir) {
		t.Fatalf("first install: %+v, %v", first, err)
	}
	if b, err := os.ReadFile(filepath.Join(root, Latest, "ensemble", "fold-0", "best.ckpt")); err != nil || string(b) != "member" {
		t.Fatalf("copied tree through the link: %q, %v", b, err)
	}
	// The same model trained again (other logs, same weights): reused.
	again, err := Install(fakeModel(t, "a", "2"), root)
	if err != nil || !again.Reused || again.Dir != first.Dir {
		t.Errorf("same model: %+v, %v; want %s reused", again, err, first.Dir)
	}
	// A new model: latest moves, the old one is kept as the previous.
	second, err := Install(fakeModel(t, "b", "3"), root)
	if err != nil || second.Dir == first.Dir || second.Previous != first.Dir || latest(t, root) != filepath.Base(second.Dir) {
		t.Fatalf("second: %+v, %v", second, err)
	}
	// A third: the first goes, the second stays as the previous.
	third, err := Install(fakeModel(t, "c", "4"), root)
	if err != nil || third.Previous != second.Dir {
		t.Fatalf("third: %+v, %v", third, err)
	}
	entries, _ := os.ReadDir(root)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 3 || !strings.Contains(strings.Join(names, " "), filepath.Base(second.Dir)) {
		t.Errorf("root holds %v; want latest, the third and the second", names)
	}
	// svgai finds it through the per-user rule, at the versioned folder.
	m, err := discover.Model(discover.ModelQuery{Getenv: func(k string) string {
		return map[string]string{"XDG_DATA_HOME": filepath.Dir(filepath.Dir(root))}[k]
	}})
	if err != nil || m.Dir != third.Dir || m.Rule != discover.RuleUser {
		t.Errorf("discover: %+v, %v; want %s by the per-user rule", m, err, third.Dir)
	}
}

// TestInstallOverPlainFolder: a latest that is a real folder (copied by
// hand, or by an older make model) is kept under its digest name.
func TestInstallOverPlainFolder(t *testing.T) {
	root := t.TempDir()
	old := fakeModel(t, "old", "1")
	if err := os.Rename(old, filepath.Join(root, Latest)); err != nil {
		t.Fatal(err)
	}
	d, err := Digest(filepath.Join(root, Latest))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := Install(fakeModel(t, "new", "2"), root)
	if err != nil || inst.Previous != filepath.Join(root, prefix+d[:16]) {
		t.Fatalf("%+v, %v", inst, err)
	}
	if _, err := os.Stat(filepath.Join(inst.Previous, "best.ckpt")); err != nil {
		t.Errorf("the old folder was not kept: %v", err)
	}
}

func TestInstallRefusesNonModel(t *testing.T) {
	if _, err := Install(t.TempDir(), t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a model directory") {
		t.Errorf("err = %v", err)
	}
}
