package torchload

import (
	"fmt"
	"math"
	"sort"
)

// Tensor is a dense, contiguous, row-major tensor converted to float32.
type Tensor struct {
	Shape []int
	Data  []float32
	// DType is the dtype the tensor was stored with ("float32", "int64",
	// "float16", ...).
	DType string
}

// StateDict maps parameter names (torchvision's keys, such as
// "layer1.0.conv1.weight") to tensors.
type StateDict map[string]Tensor

// Keys returns the names in sorted order.
func (sd StateDict) Keys() []string {
	keys := make([]string, 0, len(sd))
	for k := range sd {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// NumElements is the product of the shape; 1 for a scalar.
func (t Tensor) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Limits bound what a reader may allocate for one file. The zero value
// means the defaults.
type Limits struct {
	// MaxElements caps the total number of tensor elements returned
	// (default 1<<30, 4 GiB of float32; ResNet-50 has 25.6 M).
	MaxElements int64
	// MaxHeaderBytes caps a pickle or a safetensors JSON header
	// (default 64 MiB).
	MaxHeaderBytes int64
}

func (l Limits) maxElements() int64 {
	if l.MaxElements > 0 {
		return l.MaxElements
	}
	return 1 << 30
}

func (l Limits) maxHeader() int64 {
	if l.MaxHeaderBytes > 0 {
		return l.MaxHeaderBytes
	}
	return 64 << 20
}

// dtype describes how one stored element is decoded.
type dtype struct {
	name string
	size int
	// decode converts one little-endian element.
	decode func(b []byte) float32
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
func le64(b []byte) uint64 { return uint64(le32(b)) | uint64(le32(b[4:]))<<32 }

var (
	dtFloat32  = dtype{"float32", 4, func(b []byte) float32 { return math.Float32frombits(le32(b)) }}
	dtFloat64  = dtype{"float64", 8, func(b []byte) float32 { return float32(math.Float64frombits(le64(b))) }}
	dtFloat16  = dtype{"float16", 2, func(b []byte) float32 { return halfToFloat(le16(b)) }}
	dtBFloat16 = dtype{"bfloat16", 2, func(b []byte) float32 { return math.Float32frombits(uint32(le16(b)) << 16) }}
	dtInt64    = dtype{"int64", 8, func(b []byte) float32 { return float32(int64(le64(b))) }}
	dtInt32    = dtype{"int32", 4, func(b []byte) float32 { return float32(int32(le32(b))) }}
	dtInt16    = dtype{"int16", 2, func(b []byte) float32 { return float32(int16(le16(b))) }}
	dtInt8     = dtype{"int8", 1, func(b []byte) float32 { return float32(int8(b[0])) }}
	dtUint8    = dtype{"uint8", 1, func(b []byte) float32 { return float32(b[0]) }}
	dtBool     = dtype{"bool", 1, func(b []byte) float32 {
		if b[0] != 0 {
			return 1
		}
		return 0
	}}
)

// halfToFloat converts IEEE 754 binary16 bits to float32.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	case exp != 0:
		return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
	case mant == 0:
		return math.Float32frombits(sign)
	}
	// Subnormal half: renormalise.
	e := uint32(113)
	for mant&0x400 == 0 {
		mant <<= 1
		e--
	}
	return math.Float32frombits(sign | e<<23 | (mant&0x3ff)<<13)
}

// checkedShape turns stored dimensions into ints, rejecting negative sizes
// and products above max.
func checkedShape(dims []int64, max int64) ([]int, int64, error) {
	shape := make([]int, len(dims))
	n := int64(1)
	for i, d := range dims {
		if d < 0 {
			return nil, 0, fmt.Errorf("negative dimension %d", d)
		}
		if d != 0 && n > max/d {
			return nil, 0, fmt.Errorf("shape %v has more than %d elements", dims, max)
		}
		n *= d
		shape[i] = int(d)
	}
	return shape, n, nil
}
