package reliability

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svgai/svgai/model/predictor/predictortest"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

// TestHostileCheckpoint serves a model directory whose best.ckpt declares
// hidden layers of 100,000,000 and 100 units, with valid checksums and a
// manifest to match (what someone who can write the directory can make):
// the plugin refuses the model with the reason, stays up and stays small
// (issue 14, item 6: it died of "out of memory" and restarted in a loop).
func TestHostileCheckpoint(t *testing.T) {
	t.Parallel() // mostly waiting, or measuring one process
	tiny := predictortest.NewTiny(t, icons)
	dir := filepath.Join(t.TempDir(), "model")
	if err := os.CopyFS(dir, os.DirFS(tiny.Dir)); err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(dir, "best.ckpt")
	data, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	// Format v2 (model/checkpoint): magic, version, header length, header
	// CRC-32C, JSON header, tensors.
	hlen := binary.LittleEndian.Uint32(data[12:])
	var header map[string]any
	if err := json.Unmarshal(data[20:20+hlen], &header); err != nil {
		t.Fatal(err)
	}
	header["architecture"].(map[string]any)["hidden"] = []int{100_000_000, 100}
	hj, _ := json.Marshal(header)
	prefix := slices.Clone(data[:20])
	binary.LittleEndian.PutUint32(prefix[12:], uint32(len(hj)))
	binary.LittleEndian.PutUint32(prefix[16:], crc32.Checksum(hj, crc32.MakeTable(crc32.Castagnoli)))
	crafted := slices.Concat(prefix, hj, data[20+hlen:])
	if err := os.WriteFile(ckpt, crafted, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(crafted)
	editJSON(t, filepath.Join(dir, "model.json"), func(m map[string]any) { m["files"].(map[string]any)["best.ckpt"] = hex.EncodeToString(sum[:]) })

	p, pid := startPlugin(t, dir)
	_, err = p.Predict(context.Background(), imageOf(scaled(t, "flag-jp.png", 64)), vtracer.LatinHypercube(4, 1))
	if err == nil || !strings.Contains(err.Error(), "hidden[0] = 100000000 units, over the limit of 16384") {
		t.Fatalf("prediction from the hostile model: %v, want a refusal naming the layer", err)
	}
	h, _ := p.Health(context.Background())
	st := p.Status()
	_, peak := memory(t, pid)
	if h.State != predict.StateNotServing || st.Pid != pid || st.Restarts != 0 {
		t.Errorf("health %+v, status %+v: want not serving, the same process, no restart", h, st)
	}
	figure(t, "plugin serving a checkpoint that declares hidden [1e8, 100] (checksums and manifest valid)",
		"model refused (%q), plugin up, no restart, peak RSS %.0f MiB", h.Message[strings.Index(h.Message, "architecture"):], peak)
}

// editJSON rewrites a JSON object file through edit.
func editJSON(t *testing.T, path string, edit func(map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if data, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
