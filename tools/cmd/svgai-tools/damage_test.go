package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/svgai/svgai/model/dataset"
	"github.com/svgai/svgai/tools/scale"
)

// TestJournalDamageCommands is issue 14's damaged journal, through the real
// binary: one changed byte in a committed record frame in the middle of a
// dataset's journal (434 records, as the issue had). export and validate
// refuse it naming the file and the byte offset, and leave it as it was;
// repair salvages the other 433 records into a new file and names the one
// it lost.
func TestJournalDamageCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(t.TempDir(), "ds.h5")
	s, err := dataset.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	g := scale.NewGenerator(3)
	var recs []dataset.Record
	for img := 0; len(recs) < 434; img++ {
		if recs, err = g.Records(recs, img); err != nil {
			t.Fatal(err)
		}
	}
	recs = recs[:434]
	if _, err := s.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// What a kill -9 after that Flush leaves: the snapshot and the journal.
	path := filepath.Join(dir, "ds.h5")
	for _, suffix := range []string{"", ".journal"} {
		b, err := os.ReadFile(src + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	j, err := os.ReadFile(path + ".journal")
	if err != nil {
		t.Fatal(err)
	}
	frame := recordFrameNear(t, j, len(j)/2)
	j[frame+16+300] ^= 0x20 // a byte of the record's values, past its key
	if err := os.WriteFile(path+".journal", j, 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshotOf(t, path)
	offset := "byte offset " + strconv.Itoa(frame)
	for _, args := range [][]string{{"export", path}, {"validate", path}} {
		_, stderr := tool(t, dir, true, args...)
		if !strings.Contains(stderr, offset) || !strings.Contains(stderr, path+".journal") {
			t.Errorf("%s: stderr %q does not name the journal and the %s", args[0], stderr, offset)
		}
		t.Logf("%s: %s", args[0], firstLine(stderr))
	}
	if after := snapshotOf(t, path); !bytes.Equal(before, after) {
		t.Error("a refused command changed the damaged dataset")
	}
	repaired := filepath.Join(dir, "repaired.h5")
	out, _ := tool(t, dir, false, "repair", path, "--out", repaired)
	t.Logf("repair:\n%s", out)
	if !strings.Contains(out, "lost: 1 frame in 1 damaged region") || !strings.Contains(out, "bytes "+strconv.Itoa(frame)) {
		t.Errorf("repair report does not say it lost exactly the damaged frame at %d", frame)
	}
	lines, _ := tool(t, dir, false, "export", repaired)
	if n := strings.Count(lines, "\n"); n != 433 {
		t.Errorf("the repaired dataset exports %d records, want 433", n)
	}
}

// recordFrameNear returns the offset of the first frame of the records
// table at or after off in a journal.
func recordFrameNear(t *testing.T, j []byte, off int) int {
	t.Helper()
	for at := 28; at+16 <= len(j); at += 16 + int(binary.LittleEndian.Uint32(j[at+4:])) {
		p := j[at+16:]
		if at >= off && p[0] == 1 && p[1] == 1 { // a row of table 1, "records"
			return at
		}
	}
	t.Fatal("no record frame after the middle of the journal")
	return 0
}

// snapshotOf returns the bytes of a store's snapshot and journal.
func snapshotOf(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, suffix := range []string{"", ".journal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
