package tfevents

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// lenPrefixed is a length-delimited field: tag byte, one-byte length,
// payload (every payload below is shorter than 128 bytes).
func lenPrefixed(tag byte, payload []byte) []byte {
	if len(payload) > 127 {
		panic("payload too long for a one-byte varint")
	}
	return append([]byte{tag, byte(len(payload))}, payload...)
}

// TestHParamsGolden checks the hparams plugin encoding against bytes
// assembled by hand from plugin_data.proto and struct.proto.
func TestHParamsGolden(t *testing.T) {
	half := []byte{0, 0, 0, 0, 0, 0, 0xE0, 0x3F} // 0.5 as little-endian double
	two := []byte{0, 0, 0, 0, 0, 0, 0, 0x40}     // 2.0
	entry := func(key string, value []byte) []byte {
		return lenPrefixed(0x0A, append(lenPrefixed(0x0A, []byte(key)), lenPrefixed(0x12, value)...))
	}
	var ssi []byte                                                        // SessionStartInfo; map entries in key order
	ssi = append(ssi, entry("act", lenPrefixed(0x1A, []byte("gelu")))...) // string_value (3)
	ssi = append(ssi, entry("bn", []byte{0x20, 0x01})...)                 // bool_value (4)
	ssi = append(ssi, entry("lr", append([]byte{0x11}, half...))...)      // number_value (2)
	ssi = append(ssi, append([]byte{0x29}, two...)...)                    // start_time_secs (5)
	content := lenPrefixed(0x1A, ssi)                                     // HParamsPluginData.session_start_info (3)
	plugin := append(lenPrefixed(0x0A, []byte("hparams")), lenPrefixed(0x12, content)...)
	meta := lenPrefixed(0x0A, plugin)
	want := append(lenPrefixed(0x0A, []byte("_hparams_/session_start_info")), lenPrefixed(0x4A, meta)...)

	got, err := hparamsValue(map[string]any{"lr": 0.5, "act": "gelu", "bn": true}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("hparams value\n got % x\nwant % x", got, want)
	}
	if _, err := hparamsValue(map[string]any{"x": []int{1}}, 0); err == nil {
		t.Error("a slice value was accepted")
	}
}

func TestHParamsEvent(t *testing.T) {
	w, err := Create(t.TempDir(), Options{Host: "h", Now: func() time.Time { return time.Unix(100, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.HParams(map[string]any{"epochs": 10, "seed": uint64(3), "opt": "adamw"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(w.Path())
	evs, err := ReadEvents(bytes.NewReader(b))
	if err != nil || len(evs) != 2 {
		t.Fatalf("%d events, %v", len(evs), err)
	}
	v := evs[1].Values[0]
	if v.Tag != SessionStartTag || v.Plugin != "hparams" || len(v.PluginContent) == 0 || v.IsSimple {
		t.Errorf("hparams event %+v", v)
	}
	if !bytes.Contains(v.PluginContent, []byte("adamw")) || !bytes.Contains(v.PluginContent, []byte("epochs")) {
		t.Errorf("content % x lacks the values", v.PluginContent)
	}
}
