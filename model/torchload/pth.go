package torchload

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// storageRef is one entry of a checkpoint's data/ directory, as named by
// the persistent id ('storage', torch.FloatStorage, key, location, numel).
type storageRef struct {
	key   string
	dt    dtype
	numel int64
}

// tensorRef is a tensor view before its storage is read:
// torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...).
type tensorRef struct {
	storage *storageRef
	offset  int64
	size    []int64
	stride  []int64
}

// storageTypes maps torch's legacy typed-storage class names, which
// torch.save still writes into persistent ids, to dtypes.
var storageTypes = map[string]dtype{
	"FloatStorage":    dtFloat32,
	"DoubleStorage":   dtFloat64,
	"HalfStorage":     dtFloat16,
	"BFloat16Storage": dtBFloat16,
	"LongStorage":     dtInt64,
	"IntStorage":      dtInt32,
	"ShortStorage":    dtInt16,
	"CharStorage":     dtInt8,
	"ByteStorage":     dtUint8,
	"BoolStorage":     dtBool,
}

// legacyMagic starts checkpoints written by torch.save before PyTorch 1.6
// (torch/serialization.py MAGIC_NUMBER 0x1950a86a20f9469cfc6c, as a pickled
// LONG1).
var legacyMagic = []byte{0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19}

// ReadPTH reads a state dict saved by torch.save in its zip format (the
// default since PyTorch 1.6, and the format of torchvision's weight files).
// size is the length of the file behind r.
func ReadPTH(r io.ReaderAt, size int64, lim Limits) (StateDict, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		head := make([]byte, len(legacyMagic))
		if n, _ := r.ReadAt(head, 0); n == len(head) && bytes.Equal(head, legacyMagic) {
			return nil, pthErr("legacy (pre-1.6, non-zip) torch.save format; re-save it with a current torch.save")
		}
		return nil, pthErr("not a zip archive: %v", err)
	}
	files := make(map[string]*zip.File, len(zr.File))
	prefix := ""
	for _, f := range zr.File {
		files[f.Name] = f
		if dir, ok := strings.CutSuffix(f.Name, "data.pkl"); ok && strings.Count(dir, "/") == 1 && strings.HasSuffix(dir, "/") {
			if prefix != "" && prefix != dir {
				return nil, pthErr("two pickles: %sdata.pkl and %sdata.pkl", prefix, dir)
			}
			prefix = dir
		}
	}
	if prefix == "" {
		return nil, pthErr("no <archive>/data.pkl entry")
	}
	pkl, err := readEntry(files[prefix+"data.pkl"], lim.maxHeader(), size)
	if err != nil {
		return nil, pthErr("data.pkl: %v", err)
	}
	bigEndian := false
	if f := files[prefix+"byteorder"]; f != nil {
		b, err := readEntry(f, 16, size)
		if err != nil {
			return nil, pthErr("byteorder: %v", err)
		}
		switch string(b) {
		case "little":
		case "big":
			bigEndian = true
		default:
			return nil, pthErr("byteorder %q", b)
		}
	}

	storages := map[string]*storageRef{}
	u := &unpickler{
		data:           pkl,
		persistentLoad: func(pid any) (any, error) { return loadStorageRef(storages, pid) },
		call:           callAllowed,
	}
	root, err := u.load()
	if err != nil {
		return nil, err
	}
	dict, ok := root.(*pyDict)
	if !ok {
		return nil, pthErr("top-level object is %T, not a state dict", root)
	}

	budget := lim.maxElements()
	raw := map[string][]byte{}
	sd := make(StateDict, len(dict.keys))
	for i, k := range dict.keys {
		name, ok := k.(string)
		if !ok {
			return nil, pthErr("state dict key %v is %T, not a string", k, k)
		}
		ref, ok := dict.vals[i].(*tensorRef)
		if !ok {
			return nil, pthErr("state dict entry %q is %T, not a tensor", name, dict.vals[i])
		}
		buf, ok := raw[ref.storage.key]
		if !ok {
			if ref.storage.numel > budget {
				return nil, pthErr("storage %s: %d elements exceed the limit", ref.storage.key, ref.storage.numel)
			}
			budget -= ref.storage.numel
			buf, err = readStorage(files[prefix+"data/"+ref.storage.key], ref.storage, size, bigEndian)
			if err != nil {
				return nil, err
			}
			raw[ref.storage.key] = buf
		}
		t, err := materialize(ref, buf, budget)
		if err != nil {
			return nil, pthErr("tensor %q: %v", name, err)
		}
		budget -= int64(len(t.Data))
		sd[name] = t
	}
	return sd, nil
}

// readEntry reads a whole zip entry of at most max bytes.
func readEntry(f *zip.File, max, fileSize int64) ([]byte, error) {
	if f == nil {
		return nil, errors.New("missing")
	}
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%d bytes, more than the limit of %d", f.UncompressedSize64, max)
	}
	return readPrefix(f, int64(f.UncompressedSize64), fileSize)
}

// readPrefix reads the first n bytes of a zip entry. Memory is allocated up
// front only when n cannot exceed the file itself; otherwise (a compressed
// entry claiming more) it follows the bytes actually decompressed.
func readPrefix(f *zip.File, n, fileSize int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if n <= fileSize {
		b := make([]byte, n)
		_, err = io.ReadFull(rc, b)
		return b, err
	}
	b, err := io.ReadAll(io.LimitReader(rc, n))
	if err == nil && int64(len(b)) != n {
		err = io.ErrUnexpectedEOF
	}
	return b, err
}

func readStorage(f *zip.File, s *storageRef, fileSize int64, bigEndian bool) ([]byte, error) {
	if f == nil {
		return nil, pthErr("storage data/%s missing from the archive", s.key)
	}
	need := s.numel * int64(s.dt.size)
	if f.UncompressedSize64 < uint64(need) {
		return nil, pthErr("storage %s: %d %s elements need %d bytes, entry has %d", s.key, s.numel, s.dt.name, need, f.UncompressedSize64)
	}
	b, err := readPrefix(f, need, fileSize)
	if err != nil {
		return nil, pthErr("storage %s: %v", s.key, err)
	}
	if bigEndian && s.dt.size > 1 {
		for i := 0; i+s.dt.size <= len(b); i += s.dt.size {
			e := b[i : i+s.dt.size]
			for l, r := 0, len(e)-1; l < r; l, r = l+1, r-1 {
				e[l], e[r] = e[r], e[l]
			}
		}
	}
	return b, nil
}

func loadStorageRef(storages map[string]*storageRef, pid any) (any, error) {
	t, ok := pid.(pyTuple)
	if !ok || len(t) != 5 {
		return nil, pthErr("persistent id %v is not a 5-tuple", pid)
	}
	if tag, _ := t[0].(string); tag != "storage" {
		return nil, pthErr("persistent id tag %v, want 'storage'", t[0])
	}
	g, ok := t[1].(pyGlobal)
	if !ok || g.module != "torch" {
		return nil, pthErr("storage type %v", t[1])
	}
	dt, ok := storageTypes[g.name]
	if !ok {
		return nil, pthErr("unsupported storage type torch.%s", g.name)
	}
	key, ok1 := t[2].(string)
	numel, ok2 := t[4].(int64)
	if !ok1 || !ok2 || numel < 0 {
		return nil, pthErr("storage record %v", t)
	}
	if s, ok := storages[key]; ok {
		if s.dt.name != dt.name || s.numel != numel {
			return nil, pthErr("storage %s declared twice differently", key)
		}
		return s, nil
	}
	s := &storageRef{key: key, dt: dt, numel: numel}
	storages[key] = s
	return s, nil
}

// callAllowed is the only code a pickle can run: the constructors that
// torch.save uses for state dicts. Anything else is an error, as with
// torch.load(weights_only=True).
func callAllowed(fn pyGlobal, args pyTuple) (any, error) {
	switch fn.module + "." + fn.name {
	case "collections.OrderedDict":
		if len(args) != 0 {
			return nil, pthErr("OrderedDict with arguments")
		}
		return &pyDict{}, nil
	case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
		// (storage, storage_offset, size, stride[, requires_grad, backward_hooks[, metadata]])
		if len(args) < 4 {
			return nil, pthErr("%s with %d arguments", fn.name, len(args))
		}
		s, ok := args[0].(*storageRef)
		off, ok2 := args[1].(int64)
		if !ok || !ok2 || off < 0 {
			return nil, pthErr("%s(%v, %v, ...)", fn.name, args[0], args[1])
		}
		size, err := intTuple(args[2])
		if err != nil {
			return nil, pthErr("tensor size: %v", err)
		}
		stride, err := intTuple(args[3])
		if err != nil {
			return nil, pthErr("tensor stride: %v", err)
		}
		if len(size) != len(stride) {
			return nil, pthErr("size %v and stride %v differ in rank", size, stride)
		}
		return &tensorRef{storage: s, offset: off, size: size, stride: stride}, nil
	case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
		// (data, requires_grad, backward_hooks[, state]): a Parameter is its data.
		if len(args) < 1 {
			return nil, pthErr("%s without data", fn.name)
		}
		t, ok := args[0].(*tensorRef)
		if !ok {
			return nil, pthErr("%s of %T", fn.name, args[0])
		}
		return t, nil
	}
	return nil, pthErr("pickle calls %s.%s, which a state dict never needs", fn.module, fn.name)
}

func intTuple(v any) ([]int64, error) {
	t, ok := v.(pyTuple)
	if !ok {
		return nil, fmt.Errorf("%T, not a tuple", v)
	}
	if len(t) > 64 {
		return nil, fmt.Errorf("rank %d", len(t))
	}
	out := make([]int64, len(t))
	for i, x := range t {
		n, ok := x.(int64)
		if !ok || n < 0 {
			return nil, fmt.Errorf("element %v", x)
		}
		out[i] = n
	}
	return out, nil
}

// materialize copies a (possibly strided) view out of its storage bytes
// into a contiguous float32 tensor of at most budget elements.
func materialize(ref *tensorRef, buf []byte, budget int64) (Tensor, error) {
	shape, n, err := checkedShape(ref.size, budget)
	if err != nil {
		return Tensor{}, err
	}
	dt := ref.storage.dt
	t := Tensor{Shape: shape, Data: make([]float32, n), DType: dt.name}
	if n == 0 {
		return t, nil
	}
	// The last element read must lie inside the storage; strides are
	// non-negative, so that bounds every element. Sizes are ≤ n and
	// strides are checked small enough not to overflow.
	last := ref.offset
	for i, d := range ref.size {
		if ref.stride[i] > ref.storage.numel {
			if d > 1 {
				return Tensor{}, fmt.Errorf("stride %d beyond storage of %d", ref.stride[i], ref.storage.numel)
			}
			continue
		}
		last += (d - 1) * ref.stride[i]
		if last >= ref.storage.numel || last < 0 {
			return Tensor{}, fmt.Errorf("view (offset %d, size %v, stride %v) runs past storage of %d elements", ref.offset, ref.size, ref.stride, ref.storage.numel)
		}
	}
	es := dt.size
	if contiguous(ref.size, ref.stride) {
		src := buf[ref.offset*int64(es):]
		for i := range t.Data {
			t.Data[i] = dt.decode(src[i*es:])
		}
		return t, nil
	}
	idx := make([]int64, len(ref.size))
	pos := ref.offset
	for i := range t.Data {
		t.Data[i] = dt.decode(buf[pos*int64(es):])
		for d := len(idx) - 1; d >= 0; d-- {
			idx[d]++
			pos += ref.stride[d]
			if idx[d] < ref.size[d] {
				break
			}
			pos -= idx[d] * ref.stride[d]
			idx[d] = 0
		}
	}
	return t, nil
}

// contiguous reports row-major strides, ignoring dimensions of size 1
// (whose stride torch leaves arbitrary).
func contiguous(size, stride []int64) bool {
	want := int64(1)
	for i := len(size) - 1; i >= 0; i-- {
		if size[i] != 1 && stride[i] != want {
			return false
		}
		want *= size[i]
	}
	return true
}
