// Package checkpoint reads and writes the files that hold one trained
// network (model/mlp) with its input standardisation, its training record
// and what its inputs must be. Serving reads them; training writes them;
// neither needs the other's code.
package checkpoint

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"time"

	"github.com/svgai/svgai/model/atomicfile"
	"github.com/svgai/svgai/model/metrics"
	"github.com/svgai/svgai/model/mlp"
)

// Checkpoint file format, version 2 (all integers little endian):
//
//	offset 0   8 bytes  magic "SVGAICKP"
//	offset 8   uint32   format version (2)
//	offset 12  uint32   header length H
//	offset 16  uint32   CRC-32C (Castagnoli) of the H header bytes
//	offset 20  H bytes  JSON header (the Checkpoint struct below)
//	then       float32  tensors, concatenated in header.Tensors order
//
// header.PayloadCRC32C is the CRC-32C of the tensor bytes, so the two
// checksums cover every byte after the fixed prefix. Tensors are "params"
// (every weight and bias; header.Segments maps each layer into it),
// "norm.mean" and "norm.scale" (input standardisation). A checkpoint is
// untrusted input: Read checks the header's checksum, then the
// architecture against Limits and every tensor's length against the
// architecture, before it allocates anything the header asks for.
// Version 1 (no header checksum, no bounds) is refused: its models
// predate model directory manifests and must be retrained anyway.
// Files are written to a temporary file in the same directory, synced and
// renamed over the target, so a reader sees the old or the new file,
// never half of one.

const (
	ckptMagic   = "SVGAICKP"
	ckptVersion = 2
	// prefixLen is the fixed part before the header.
	prefixLen = 20
	// maxHeader bounds the JSON header a reader accepts (a real one is a
	// few KiB: configuration, metrics, segments).
	maxHeader = 4 << 20
)

// Limits bound the architecture a checkpoint may declare: far above any
// model svgai trains (about 2,100 inputs and [256, 64] hidden units,
// 555,000 parameters), far below what could exhaust a server's memory.
const (
	MaxInputs = 1 << 16 // input columns
	MaxLayers = 16      // hidden layers
	MaxWidth  = 1 << 14 // units in one hidden layer
	MaxParams = 1 << 23 // weights and biases, 32 MiB of float32
)

// ErrExtractorMismatch is returned by Load when the checkpoint
// was trained on features from a different extractor.
var ErrExtractorMismatch = errors.New("checkpoint: feature extractor mismatch")

// Meta describes where a model's inputs came from; the caller fills it.
type Meta struct {
	// ExtractorID names the feature extractor (and its weights) whose
	// output the model was trained on.
	ExtractorID string `json:"extractor_id"`
	// DatasetFingerprint identifies the training data (e.g. a hash of the
	// dataset manifest).
	DatasetFingerprint string `json:"dataset_fingerprint"`
	// CodeVersion is the source revision that trained the model.
	CodeVersion string `json:"code_version"`
	// Encoding describes the input vector layout (feature blocks,
	// parameter scaling and one-hot columns), opaque to this package.
	Encoding json.RawMessage `json:"encoding,omitempty"`
}

// TensorInfo locates one tensor in the payload.
type TensorInfo struct {
	Name   string `json:"name"`
	Offset int    `json:"offset"` // in float32 values from the payload start
	Len    int    `json:"len"`
}

// Checkpoint is a saved model and everything needed to trust it.
type Checkpoint struct {
	Kind    string          `json:"kind"` // "best" or "last"
	Epoch   int             `json:"epoch"`
	ValLoss float64         `json:"val_loss"`
	Metrics metrics.Summary `json:"metrics"`
	// Config is the training configuration that made the model, as the
	// trainer recorded it (model/train.Config's JSON).
	Config       json.RawMessage `json:"config,omitempty"`
	Architecture mlp.Config      `json:"architecture"`
	Segments     []mlp.Segment   `json:"segments"`
	Meta         Meta            `json:"meta"`
	// CreatedAt is set only by callers that want a time in the file:
	// training leaves it out, so that the same data and seed give the
	// same bytes.
	CreatedAt     time.Time    `json:"created_at,omitzero"`
	Tensors       []TensorInfo `json:"tensors"`
	PayloadCRC32C uint32       `json:"payload_crc32c"`

	// Model is the network with its standardiser (not in the header).
	Model *mlp.Model `json:"-"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Save writes ck atomically to path.
func Save(path string, ck Checkpoint) error {
	m := ck.Model
	if m == nil {
		return fmt.Errorf("checkpoint %s: no model", path)
	}
	tensors := [][]float32{m.Params, m.Norm.Mean, m.Norm.Scale}
	names := []string{"params", "norm.mean", "norm.scale"}
	var payload bytes.Buffer
	ck.Tensors = nil
	off := 0
	for i, t := range tensors {
		ck.Tensors = append(ck.Tensors, TensorInfo{Name: names[i], Offset: off, Len: len(t)})
		off += len(t)
		if err := binary.Write(&payload, binary.LittleEndian, t); err != nil {
			return fmt.Errorf("checkpoint %s: %w", path, err)
		}
	}
	ck.PayloadCRC32C = crc32.Checksum(payload.Bytes(), castagnoli)
	ck.Architecture = m.Config
	ck.Segments = m.Segments()
	if ck.Meta.CodeVersion == "" {
		ck.Meta.CodeVersion = buildVersion()
	}
	header, err := json.Marshal(ck)
	if err != nil {
		return fmt.Errorf("checkpoint %s: encoding header: %w", path, err)
	}
	var head [prefixLen]byte
	copy(head[:8], ckptMagic)
	binary.LittleEndian.PutUint32(head[8:], ckptVersion)
	binary.LittleEndian.PutUint32(head[12:], uint32(len(header)))
	binary.LittleEndian.PutUint32(head[16:], crc32.Checksum(header, castagnoli))
	return atomicfile.Write(path, head[:], header, payload.Bytes())
}

// Load reads a checkpoint and refuses it unless it was trained on features
// from extractorID.
func Load(path, extractorID string) (*Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	defer f.Close()
	ck, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if ck.Meta.ExtractorID != extractorID {
		return nil, fmt.Errorf("%w: %s was trained on features from %q, offered %q",
			ErrExtractorMismatch, path, ck.Meta.ExtractorID, extractorID)
	}
	return ck, nil
}

// Read decodes a checkpoint from r without checking the extractor (see
// Load). Every failure says what is wrong; nothing r declares is allocated
// before the checksums and Limits have vouched for it.
func Read(r io.Reader) (*Checkpoint, error) {
	var head [prefixLen]byte
	if n, err := io.ReadFull(r, head[:12]); err != nil {
		return nil, fmt.Errorf("reading header: %d of 12 bytes: %w", n, err)
	}
	if string(head[:8]) != ckptMagic {
		return nil, fmt.Errorf("not a checkpoint (magic %q)", head[:8])
	}
	switch v := binary.LittleEndian.Uint32(head[8:]); {
	case v == 1:
		return nil, errors.New("format version 1, which this build no longer reads (its header was not checksummed); retrain the model with this build (svgai-tools train)")
	case v != ckptVersion:
		return nil, fmt.Errorf("format version %d, this build reads %d", v, ckptVersion)
	}
	if n, err := io.ReadFull(r, head[12:]); err != nil {
		return nil, fmt.Errorf("reading header: %d of %d bytes: %w", 12+n, prefixLen, err)
	}
	hlen := binary.LittleEndian.Uint32(head[12:])
	if hlen > maxHeader {
		return nil, fmt.Errorf("header length %d exceeds %d", hlen, maxHeader)
	}
	// Read through a buffer that grows with the data actually present, so
	// a corrupt length cannot make us allocate it up front.
	var hbuf bytes.Buffer
	if n, err := io.CopyN(&hbuf, r, int64(hlen)); err != nil {
		return nil, fmt.Errorf("reading header: %d of %d bytes: %w", n, hlen, err)
	}
	header := hbuf.Bytes()
	if got, want := crc32.Checksum(header, castagnoli), binary.LittleEndian.Uint32(head[16:]); got != want {
		return nil, fmt.Errorf("header checksum %#08x, the file says %#08x: damaged or altered", got, want)
	}
	var ck Checkpoint
	if err := json.Unmarshal(header, &ck); err != nil {
		return nil, fmt.Errorf("decoding header: %w", err)
	}
	params, err := checkArchitecture(ck.Architecture)
	if err != nil {
		return nil, err
	}
	want := map[string]int{"params": params, "norm.mean": ck.Architecture.Inputs, "norm.scale": ck.Architecture.Inputs}
	total := 0
	for _, t := range ck.Tensors {
		n, ok := want[t.Name]
		switch {
		case !ok:
			return nil, fmt.Errorf("tensor %q: not a tensor of this format (want params, norm.mean, norm.scale)", clip(t.Name))
		case t.Len != n:
			return nil, fmt.Errorf("tensor %s has %d values, the architecture needs %d", t.Name, t.Len, n)
		case t.Offset != total:
			return nil, fmt.Errorf("tensor %s at offset %d does not follow the previous one (%d)", t.Name, t.Offset, total)
		}
		delete(want, t.Name) // each once
		total += t.Len
	}
	if len(want) > 0 {
		return nil, fmt.Errorf("%d of 3 tensors missing", len(want))
	}
	buf := new(bytes.Buffer)
	if n, err := io.CopyN(buf, r, int64(4*total)); err != nil {
		return nil, fmt.Errorf("reading tensors: %d of %d bytes: %w", n, 4*total, err)
	}
	if got := crc32.Checksum(buf.Bytes(), castagnoli); got != ck.PayloadCRC32C {
		return nil, fmt.Errorf("tensor checksum %#08x, header says %#08x", got, ck.PayloadCRC32C)
	}
	raw := buf.Bytes()
	tensors := map[string][]float32{}
	for _, t := range ck.Tensors {
		v := make([]float32, t.Len)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*(t.Offset+i):]))
		}
		tensors[t.Name] = v
	}
	m, err := mlp.FromParams(ck.Architecture, tensors["params"],
		mlp.Standardizer{Mean: tensors["norm.mean"], Scale: tensors["norm.scale"]})
	if err != nil {
		return nil, err
	}
	ck.Model = m
	return &ck, nil
}

// checkArchitecture holds an architecture to Limits and returns its
// parameter count.
func checkArchitecture(a mlp.Config) (int, error) {
	if err := a.Validate(); err != nil {
		return 0, fmt.Errorf("architecture: %w", err)
	}
	if a.Inputs > MaxInputs {
		return 0, fmt.Errorf("architecture: %d inputs, over the limit of %d", a.Inputs, MaxInputs)
	}
	if len(a.Hidden) > MaxLayers {
		return 0, fmt.Errorf("architecture: %d hidden layers, over the limit of %d", len(a.Hidden), MaxLayers)
	}
	params, in := 0, a.Inputs
	for i, h := range append(slices.Clone(a.Hidden), 1) {
		if h > MaxWidth {
			return 0, fmt.Errorf("architecture: hidden[%d] = %d units, over the limit of %d", i, h, MaxWidth)
		}
		params += in*h + h // both ≤ 2^16 · 2^14: no overflow
		if params > MaxParams {
			return 0, fmt.Errorf("architecture: more than %d parameters (inputs %d, hidden %v)", MaxParams, a.Inputs, a.Hidden)
		}
		in = h
	}
	return params, nil
}

// clip shortens a name from a file for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// buildVersion is the VCS revision (or module version) the binary was
// built from, for checkpoints whose caller did not say.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	switch {
	case rev != "" && dirty:
		return rev + "+dirty"
	case rev != "":
		return rev
	case bi.Main.Version != "":
		return bi.Main.Version
	}
	return "unknown"
}
