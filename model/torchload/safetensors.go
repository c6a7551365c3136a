package torchload

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
)

// safetensors dtype names (huggingface/safetensors, format description in
// its README).
var safeDTypes = map[string]dtype{
	"F32":  dtFloat32,
	"F64":  dtFloat64,
	"F16":  dtFloat16,
	"BF16": dtBFloat16,
	"I64":  dtInt64,
	"I32":  dtInt32,
	"I16":  dtInt16,
	"I8":   dtInt8,
	"U8":   dtUint8,
	"BOOL": dtBool,
}

type safeEntry struct {
	DType   string   `json:"dtype"`
	Shape   []int64  `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// ReadSafetensors reads a safetensors file: an 8-byte little-endian header
// length, a JSON header naming each tensor's dtype, shape and byte range,
// then the raw little-endian data. size is the length of the file behind r.
func ReadSafetensors(r io.ReaderAt, size int64, lim Limits) (StateDict, error) {
	var lenBuf [8]byte
	if _, err := r.ReadAt(lenBuf[:], 0); err != nil {
		return nil, stErr("reading header length: %v", err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > uint64(size-8) || n > uint64(lim.maxHeader()) {
		return nil, stErr("header length %d exceeds the file (%d bytes) or the limit", n, size)
	}
	header := make([]byte, n)
	if _, err := r.ReadAt(header, 8); err != nil {
		return nil, stErr("reading header: %v", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(header, &raw); err != nil {
		return nil, stErr("header: %v", err)
	}
	dataStart := 8 + int64(n)
	dataLen := size - dataStart
	budget := lim.maxElements()

	names := make([]string, 0, len(raw))
	for name := range raw {
		if name != "__metadata__" {
			names = append(names, name)
		}
	}
	sort.Strings(names) // deterministic errors
	sd := make(StateDict, len(names))
	for _, name := range names {
		var e safeEntry
		if err := json.Unmarshal(raw[name], &e); err != nil {
			return nil, stErr("tensor %q: %v", name, err)
		}
		dt, ok := safeDTypes[e.DType]
		if !ok {
			return nil, stErr("tensor %q: unsupported dtype %q", name, e.DType)
		}
		shape, numel, err := checkedShape(e.Shape, budget)
		if err != nil {
			return nil, stErr("tensor %q: %v", name, err)
		}
		begin, end := e.Offsets[0], e.Offsets[1]
		if begin < 0 || end < begin || end > dataLen {
			return nil, stErr("tensor %q: byte range [%d, %d) outside the %d data bytes", name, begin, end, dataLen)
		}
		if end-begin != numel*int64(dt.size) {
			return nil, stErr("tensor %q: %d bytes for %v %s", name, end-begin, e.Shape, e.DType)
		}
		buf := make([]byte, end-begin)
		if _, err := r.ReadAt(buf, dataStart+begin); err != nil {
			return nil, stErr("tensor %q: %v", name, err)
		}
		t := Tensor{Shape: shape, Data: make([]float32, numel), DType: dt.name}
		for i := range t.Data {
			t.Data[i] = dt.decode(buf[i*dt.size:])
		}
		budget -= numel
		sd[name] = t
	}
	return sd, nil
}

// WriteSafetensors writes sd as float32 safetensors with the given
// metadata (may be nil), tensors in key order.
func WriteSafetensors(w io.Writer, sd StateDict, meta map[string]string) error {
	header := map[string]any{}
	if len(meta) > 0 {
		header["__metadata__"] = meta
	}
	var off int64
	keys := sd.Keys()
	for _, k := range keys {
		t := sd[k]
		if t.NumElements() != len(t.Data) {
			return fmt.Errorf("torchload: tensor %q: shape %v does not hold %d values", k, t.Shape, len(t.Data))
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		n := int64(len(t.Data)) * 4
		header[k] = map[string]any{"dtype": "F32", "shape": shape, "data_offsets": [2]int64{off, off + n}}
		off += n
	}
	h, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("torchload: safetensors header: %w", err)
	}
	// The format pads the header with spaces so that data starts 8-aligned.
	h = append(h, bytes.Repeat([]byte(" "), (8-len(h)%8)%8)...)
	var buf bytes.Buffer
	binary.Write(&buf, binary.LittleEndian, uint64(len(h)))
	buf.Write(h)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("torchload: write safetensors: %w", err)
	}
	for _, k := range keys {
		b := make([]byte, 4*len(sd[k].Data))
		for i, v := range sd[k].Data {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("torchload: write safetensors: %w", err)
		}
	}
	return nil
}
