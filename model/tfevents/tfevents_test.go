package tfevents

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// crc32cBitwise is an independent, bit-at-a-time CRC-32C (Castagnoli,
// reflected polynomial 0x82F63B78), so the golden test does not trust
// the package's table-driven one.
func crc32cBitwise(b []byte) uint32 {
	c := ^uint32(0)
	for _, x := range b {
		c ^= uint32(x)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0x82F63B78
			} else {
				c >>= 1
			}
		}
	}
	return ^c
}

func mask(c uint32) uint32 { return ((c >> 15) | (c << 17)) + 0xa282ead8 }

func TestCRC32CCheckValue(t *testing.T) {
	// The standard CRC-32C check value (RFC 3720 appendix B.4 and every
	// CRC catalogue): CRC-32C("123456789") = 0xE3069283.
	if got := crc32cBitwise([]byte("123456789")); got != 0xE3069283 {
		t.Fatalf("reference CRC-32C = %#x", got)
	}
	if got, want := MaskedCRC([]byte("123456789")), mask(0xE3069283); got != want {
		t.Fatalf("MaskedCRC = %#x, want %#x", got, want)
	}
}

// frame builds a TFRecord from the spec, independently of AppendRecord.
func frame(data []byte) []byte {
	var out []byte
	out = binary.LittleEndian.AppendUint64(out, uint64(len(data)))
	out = binary.LittleEndian.AppendUint32(out, mask(crc32cBitwise(out[:8])))
	out = append(out, data...)
	return binary.LittleEndian.AppendUint32(out, mask(crc32cBitwise(data)))
}

// TestGolden compares the writer's bytes with records assembled by hand
// from event.proto / summary.proto field numbers and wire types.
func TestGolden(t *testing.T) {
	fileVersion := []byte{0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F} // wall_time (1, fixed64) = 1.5
	fileVersion = append(fileVersion, 0x1A, 13)               // file_version (3, bytes), 13 long
	fileVersion = append(fileVersion, "brain.Event:2"...)
	value := []byte{0x0A, 4, 'l', 'o', 's', 's', 0x15, 0x00, 0x00, 0x80, 0x3E} // tag (1) "loss", simple_value (2, fixed32) = 0.25
	summary := append([]byte{0x0A, byte(len(value))}, value...)                // Summary.value (1)
	scalar := []byte{0x09, 0, 0, 0, 0, 0, 0, 0, 0x40}                          // wall_time = 2.0
	scalar = append(scalar, 0x10, 3)                                           // step (2, varint) = 3
	scalar = append(scalar, 0x2A, byte(len(summary)))                          // summary (5, bytes)
	scalar = append(scalar, summary...)
	want := append(frame(fileVersion), frame(scalar)...)

	clock := []time.Time{time.Unix(1, 5e8), time.Unix(2, 0)}
	dir := t.TempDir()
	w, err := Create(dir, Options{Host: "golden", Now: func() time.Time { c := clock[0]; clock = clock[1:]; return c }})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Scalar("loss", 3, 0.25); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if filepath.Base(w.Path()) != "events.out.tfevents.1.golden" {
		t.Errorf("file name %q", filepath.Base(w.Path()))
	}
	got, err := os.ReadFile(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("event file bytes\n got % x\nwant % x", got, want)
	}
}

func TestWriteRead(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, Options{Host: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.HParamsText(map[string]string{"lr": "0.001", "batch_size": "256"}); err != nil {
		t.Fatal(err)
	}
	for step := int64(1); step <= 3; step++ {
		if err := w.Scalars(step, map[string]float64{"loss/train": 1 / float64(step), "loss/val": 2 / float64(step)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(w.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evs, err := ReadEvents(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 5 {
		t.Fatalf("%d events, want 5", len(evs))
	}
	if evs[0].FileVersion != FileVersion || evs[0].WallTime <= 0 {
		t.Errorf("first event %+v", evs[0])
	}
	hp := evs[1].Values[0]
	if hp.Tag != "hparams" || hp.Plugin != "text" || len(hp.Strings) != 1 ||
		!strings.Contains(hp.Strings[0], "| batch_size | 256 |\n| lr | 0.001 |") {
		t.Errorf("hparams text %+v", hp)
	}
	for i, ev := range evs[2:] {
		step := int64(i + 1)
		if ev.Step != step || len(ev.Values) != 2 {
			t.Fatalf("event %+v", ev)
		}
		v := ev.Values[0]
		if v.Tag != "loss/train" || !v.IsSimple || v.Simple != float32(1/float64(step)) {
			t.Errorf("step %d: %+v", step, v)
		}
		if ev.Values[1].Simple != float32(2/float64(step)) {
			t.Errorf("step %d: %+v", step, ev.Values[1])
		}
	}
}

func TestReadRecordErrors(t *testing.T) {
	good := AppendRecord(nil, []byte("hello"))
	cases := []struct {
		name string
		mut  func([]byte) []byte
		want error
	}{
		{"length crc", func(b []byte) []byte { b[8] ^= 1; return b }, ErrCorrupt},
		{"data", func(b []byte) []byte { b[13] ^= 1; return b }, ErrCorrupt},
		{"data crc", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }, ErrCorrupt},
		{"truncated", func(b []byte) []byte { return b[:len(b)-2] }, io.ErrUnexpectedEOF},
		{"short header", func(b []byte) []byte { return b[:5] }, io.ErrUnexpectedEOF},
		{"empty", func(b []byte) []byte { return nil }, io.EOF},
	}
	for _, tc := range cases {
		b := tc.mut(bytes.Clone(good))
		if _, err := ReadRecord(bytes.NewReader(b)); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
	huge := binary.LittleEndian.AppendUint64(nil, math.MaxUint64)
	huge = binary.LittleEndian.AppendUint32(huge, MaskedCRC(huge))
	if _, err := ReadRecord(bytes.NewReader(huge)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("huge length: %v", err)
	}
}

// FuzzReadEvents feeds arbitrary bytes to the reader: it must not panic,
// and whatever record it accepts must re-frame to the same bytes.
func FuzzReadEvents(f *testing.F) {
	f.Add(AppendRecord(nil, fileVersionEvent(1)))
	f.Add(AppendRecord(nil, summaryEvent(2, 7, [][]byte{scalarValue("a", 1), textValue("t", "x")})))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bytes.NewReader(b)
		data, err := ReadRecord(r)
		if err != nil {
			return
		}
		if again := AppendRecord(nil, data); !bytes.Equal(again, b[:len(again)]) {
			t.Fatal("accepted record does not re-frame to its input")
		}
		_, _ = ParseEvent(data)
	})
}
