package h5weights

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gonum.org/v1/hdf5"

	"github.com/svgai/svgai/model/resnet"
	"github.com/svgai/svgai/model/torchload"
)

// Write stores w at path. It writes a temporary file beside path and
// renames it into place, so a crash never leaves a half-written file
// under the final name.
func Write(path string, w *resnet.Weights) (err error) {
	if err := w.Validate(); err != nil {
		return fmt.Errorf("h5weights: write %s: %w", path, err)
	}
	meta, err := json.Marshal(metaOf(w))
	if err != nil {
		return fmt.Errorf("h5weights: write %s: %w", path, err)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	f, err := hdf5.CreateFile(tmp, hdf5.F_ACC_TRUNC)
	if err != nil {
		return fmt.Errorf("h5weights: create %s: %w", tmp, err)
	}
	if err := writeAll(f, meta, w); err != nil {
		f.Close()
		return fmt.Errorf("h5weights: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("h5weights: close %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("h5weights: %w", err)
	}
	return nil
}

func writeAll(f *hdf5.File, meta []byte, w *resnet.Weights) error {
	if err := writeDataset(&f.CommonFG, "meta", hdf5.T_NATIVE_UINT8, []uint{uint(len(meta))}, meta); err != nil {
		return err
	}
	g, err := f.CreateGroup("tensors")
	if err != nil {
		return fmt.Errorf("group /tensors: %w", err)
	}
	defer g.Close()
	for _, p := range w.Config.Params() {
		t := w.Tensors[p.Name]
		dims := make([]uint, len(t.Shape))
		for i, d := range t.Shape {
			dims[i] = uint(d)
		}
		if err := writeDataset(&g.CommonFG, p.Name, hdf5.T_NATIVE_FLOAT, dims, t.Data); err != nil {
			return err
		}
	}
	return nil
}

func writeDataset[T uint8 | float32](loc *hdf5.CommonFG, name string, dtype *hdf5.Datatype, dims []uint, data []T) error {
	space, err := hdf5.CreateSimpleDataspace(dims, nil)
	if err != nil {
		return fmt.Errorf("dataspace for %s: %w", name, err)
	}
	defer space.Close()
	d, err := loc.CreateDataset(name, dtype, space)
	if err != nil {
		return fmt.Errorf("dataset %s: %w", name, err)
	}
	defer d.Close()
	if len(data) == 0 {
		return nil
	}
	if err := d.Write(&data); err != nil {
		return fmt.Errorf("dataset %s: %w", name, err)
	}
	return nil
}

// maxTensor bounds one dataset read (4 GiB of float32), so a damaged file
// cannot ask for an absurd allocation.
const maxTensor = 1 << 30

// Read loads weights written by Write, checking the format, every tensor's
// shape and the recorded digest.
func Read(path string) (*resnet.Weights, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("h5weights: %w", err)
	}
	if !hdf5.IsHDF5(path) {
		return nil, fmt.Errorf("h5weights: %s is not an HDF5 file", path)
	}
	f, err := hdf5.OpenFile(path, hdf5.F_ACC_RDONLY)
	if err != nil {
		return nil, fmt.Errorf("h5weights: open %s: %w", path, err)
	}
	defer f.Close()
	w, err := readAll(f)
	if err != nil {
		return nil, fmt.Errorf("h5weights: %s: %w", path, err)
	}
	return w, nil
}

func readAll(f *hdf5.File) (*resnet.Weights, error) {
	if !f.LinkExists("meta") || !f.LinkExists("tensors") {
		return nil, errors.New("no /meta or /tensors: not a weights file")
	}
	raw, _, err := readDataset[uint8](&f.CommonFG, "meta", 1<<20)
	if err != nil {
		return nil, err
	}
	var m Meta
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("/meta: %w", err)
	}
	if m.Format != FormatName || m.Version != FormatVersion {
		return nil, fmt.Errorf("/meta: format %q version %d, want %q version %d", m.Format, m.Version, FormatName, FormatVersion)
	}
	cfg := resnet.Config{BaseWidth: m.BaseWidth, NumClasses: m.NumClasses}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g, err := f.OpenGroup("tensors")
	if err != nil {
		return nil, fmt.Errorf("/tensors: %w", err)
	}
	defer g.Close()
	sd := torchload.StateDict{}
	for _, p := range cfg.Params() {
		if !g.LinkExists(p.Name) {
			return nil, fmt.Errorf("missing tensor /tensors/%s", p.Name)
		}
		data, shape, err := readDataset[float32](&g.CommonFG, p.Name, maxTensor)
		if err != nil {
			return nil, err
		}
		sd[p.Name] = torchload.Tensor{Shape: shape, Data: data, DType: "float32"}
	}
	w := &resnet.Weights{Config: cfg, Tensors: sd, Random: m.Random, Seed: m.Seed, Source: m.Source, SourceSHA256: m.SourceSHA256}
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if d := w.Digest(); d != m.Digest {
		return nil, fmt.Errorf("tensors digest %s does not match the recorded %s (file damaged?)", d, m.Digest)
	}
	return w, nil
}

func readDataset[T uint8 | float32](loc *hdf5.CommonFG, name string, limit int) ([]T, []int, error) {
	d, err := loc.OpenDataset(name)
	if err != nil {
		return nil, nil, fmt.Errorf("dataset %s: %w", name, err)
	}
	defer d.Close()
	space := d.Space()
	if space == nil {
		return nil, nil, fmt.Errorf("dataset %s: no dataspace", name)
	}
	defer space.Close()
	dims, _, err := space.SimpleExtentDims()
	if err != nil {
		return nil, nil, fmt.Errorf("dataset %s: %w", name, err)
	}
	shape := make([]int, len(dims))
	n := 1
	for i, v := range dims {
		if v > uint(limit) || (v > 0 && n > limit/int(v)) {
			return nil, nil, fmt.Errorf("dataset %s: shape %v too large", name, dims)
		}
		shape[i] = int(v)
		n *= int(v)
	}
	var zero T
	want := hdf5.T_NATIVE_FLOAT
	if any(zero) == any(uint8(0)) {
		want = hdf5.T_NATIVE_UINT8
	}
	dt, err := d.Datatype()
	if err != nil {
		return nil, nil, fmt.Errorf("dataset %s: %w", name, err)
	}
	defer dt.Close()
	if !dt.Equal(want) {
		return nil, nil, fmt.Errorf("dataset %s: element type is not %T", name, zero)
	}
	data := make([]T, n)
	if n > 0 {
		if err := d.Read(&data); err != nil {
			return nil, nil, fmt.Errorf("dataset %s: %w", name, err)
		}
	}
	return data, shape, nil
}
