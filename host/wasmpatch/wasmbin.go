package wasmpatch

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// This file reads and writes just enough of the WebAssembly binary format
// (core specification, chapter 5) for instrument: the sections it edits and
// the index spaces its body scanner needs. Everything else passes through
// byte for byte.

// Section ids and value types of the binary format.
const (
	secCustom   = 0
	secType     = 1
	secImport   = 2
	secFunction = 3
	secTable    = 4
	secMemory   = 5
	secGlobal   = 6
	secExport   = 7
	secCode     = 10

	valI32     = 0x7F
	valI64     = 0x7E
	valF32     = 0x7D
	valF64     = 0x7C
	valV128    = 0x7B
	valFuncref = 0x70
	valExtern  = 0x6F
	valUnknown = 0 // an operand of unreachable code, whose type is unknown

	exportGlobal = 3 // export kind
)

// sectionRank orders the non-custom sections as the binary format requires
// (5.5.16; the data count section, 12, comes before code, and tags, 13,
// before globals).
var sectionRank = map[byte]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}

type funcType struct{ params, results []byte }

type section struct {
	id      byte
	payload []byte
}

// wasmModule is what instrument needs to know of a module.
type wasmModule struct {
	sections        []section
	types           []funcType
	funcs           []uint32 // type index of every function, imported first
	imported        int      // how many of funcs are imported
	importedGlobals int      // how many of globals are imported
	memories        int      // imported and defined
	tables          []byte   // element type of every table, imported first
	globals         []byte   // value type of every global, imported first
	exports         []string // export names
	bodies          [][]byte // code section entries, without their size

	// The raw entries (after the count) of the sections instrument extends.
	typesRaw, funcsRaw, globalsRaw, exportsRaw []byte
}

// errUnsupported is wrapped by errors about WebAssembly features instrument
// does not handle (SIMD, threads, exceptions, GC); vtracer-wasm uses none.
var errUnsupported = errors.New("unsupported WebAssembly feature")

var errTruncated = errors.New("unexpected end of module")

// reader decodes the binary format's primitives. The first error sticks;
// later reads return zero values.
type reader struct {
	b   []byte
	pos int
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || r.pos >= len(r.b) {
		r.setErr(errTruncated)
		return 0
	}
	r.pos++
	return r.b[r.pos-1]
}

func (r *reader) bytes(n uint32) []byte {
	if r.err != nil || uint64(r.pos)+uint64(n) > uint64(len(r.b)) {
		r.setErr(errTruncated)
		return nil
	}
	r.pos += int(n)
	return r.b[r.pos-int(n) : r.pos]
}

func (r *reader) u32() uint32 {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7F) << shift
		if c&0x80 == 0 {
			if v > 0xFFFFFFFF {
				r.fail("u32 out of range")
			}
			return uint32(v)
		}
	}
	r.fail("u32 too long")
	return 0
}

// skipLEB skips a signed or unsigned LEB128 number of up to 10 bytes.
func (r *reader) skipLEB() {
	for i := 0; i < 10; i++ {
		if r.byte()&0x80 == 0 {
			return
		}
	}
	r.fail("LEB128 too long")
}

// s33 reads a block type's signed 33-bit type index.
func (r *reader) s33() int64 {
	var v int64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= int64(c&0x7F) << shift
		if c&0x80 == 0 {
			if c&0x40 != 0 {
				v |= -1 << (shift + 7)
			}
			return v
		}
	}
	r.fail("s33 too long")
	return 0
}

func (r *reader) setErr(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *reader) fail(msg string) { r.setErr(fmt.Errorf("%s at byte %d", msg, r.pos)) }

func (r *reader) unsupported(what string) {
	r.setErr(fmt.Errorf("%w: %s at byte %d", errUnsupported, what, r.pos))
}

func (r *reader) vecBytes() []byte { return r.bytes(r.u32()) }

func (r *reader) limits() {
	switch flags := r.byte(); flags {
	case 0:
		r.u32()
	case 1:
		r.u32()
		r.u32()
	default: // shared or 64-bit memories
		r.unsupported(fmt.Sprintf("limits flags %#x", flags))
	}
}

// constExpr skips an initializer expression up to its end.
func (r *reader) constExpr() {
	for r.err == nil {
		switch op := r.byte(); op {
		case 0x0B:
			return
		case 0x41, 0x42, 0x23, 0xD2: // i32.const, i64.const, global.get, ref.func
			r.skipLEB()
		case 0x43:
			r.bytes(4)
		case 0x44:
			r.bytes(8)
		case 0xD0: // ref.null t
			r.byte()
		case 0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E: // extended-const arithmetic
		default:
			r.unsupported(fmt.Sprintf("opcode %#x in a constant expression", op))
		}
	}
}

// parseModule reads a module's sections and the index spaces instrument
// needs.
func parseModule(code []byte) (*wasmModule, error) {
	if len(code) < 8 || !bytes.Equal(code[:8], []byte{0, 'a', 's', 'm', 1, 0, 0, 0}) {
		return nil, errors.New("not a WebAssembly 1.0 binary module")
	}
	m := &wasmModule{}
	r := &reader{b: code, pos: 8}
	for r.pos < len(code) && r.err == nil {
		id := r.byte()
		payload := r.vecBytes()
		if r.err != nil {
			break
		}
		if _, known := sectionRank[id]; !known && id != secCustom {
			return nil, fmt.Errorf("unknown section id %d", id)
		}
		m.sections = append(m.sections, section{id, payload})
		sr := &reader{b: payload}
		m.parseSection(id, sr)
		if sr.err != nil {
			return nil, fmt.Errorf("section %d: %w", id, sr.err)
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(m.funcs)-m.imported != len(m.bodies) {
		return nil, fmt.Errorf("%d functions declared but %d bodies", len(m.funcs)-m.imported, len(m.bodies))
	}
	for _, t := range m.funcs {
		if t >= uint32(len(m.types)) {
			return nil, fmt.Errorf("function type %d out of range", t)
		}
	}
	return m, nil
}

func (m *wasmModule) parseSection(id byte, r *reader) {
	switch id {
	case secType:
		n := r.u32()
		m.typesRaw = r.b[r.pos:]
		for i := uint32(0); i < n && r.err == nil; i++ {
			if form := r.byte(); form != 0x60 {
				r.unsupported(fmt.Sprintf("type form %#x", form))
				return
			}
			p := r.vecBytes()
			res := r.vecBytes()
			m.types = append(m.types, funcType{p, res})
		}
	case secImport:
		for n := r.u32(); n > 0 && r.err == nil; n-- {
			r.vecBytes() // module
			r.vecBytes() // name
			switch kind := r.byte(); kind {
			case 0: // function
				m.funcs = append(m.funcs, r.u32())
				m.imported++
			case 1: // table
				m.tables = append(m.tables, r.byte())
				r.limits()
			case 2: // memory
				r.limits()
				m.memories++
			case 3: // global
				m.globals = append(m.globals, r.byte())
				r.byte() // mutability
				m.importedGlobals++
			default:
				r.unsupported(fmt.Sprintf("import kind %d", kind))
			}
		}
	case secFunction:
		n := r.u32()
		m.funcsRaw = r.b[r.pos:]
		for i := uint32(0); i < n && r.err == nil; i++ {
			m.funcs = append(m.funcs, r.u32())
		}
	case secTable:
		for n := r.u32(); n > 0 && r.err == nil; n-- {
			m.tables = append(m.tables, r.byte())
			r.limits()
		}
	case secMemory:
		for n := r.u32(); n > 0 && r.err == nil; n-- {
			r.limits()
			m.memories++
		}
	case secGlobal:
		n := r.u32()
		m.globalsRaw = r.b[r.pos:]
		for i := uint32(0); i < n && r.err == nil; i++ {
			m.globals = append(m.globals, r.byte())
			r.byte() // mutability
			r.constExpr()
		}
	case secExport:
		n := r.u32()
		m.exportsRaw = r.b[r.pos:]
		for i := uint32(0); i < n && r.err == nil; i++ {
			m.exports = append(m.exports, string(r.vecBytes()))
			r.byte() // kind
			r.u32()  // index
		}
	case secCode:
		for n := r.u32(); n > 0 && r.err == nil; n-- {
			m.bodies = append(m.bodies, r.vecBytes())
		}
	default: // passed through unread
		return
	}
	if r.err == nil && r.pos != len(r.b) {
		r.fail("bytes after the section's entries")
	}
}

// section returns the payload of the section with the given id, or nil.
func (m *wasmModule) section(id byte) []byte {
	for _, s := range m.sections {
		if s.id == id {
			return s.payload
		}
	}
	return nil
}

// setSection replaces the payload of section id, or inserts the section
// where the binary format's order puts it.
func (m *wasmModule) setSection(id byte, payload []byte) {
	for i, s := range m.sections {
		if s.id == id {
			m.sections[i].payload = payload
			return
		}
	}
	at := len(m.sections)
	for i, s := range m.sections {
		if s.id != secCustom && sectionRank[s.id] > sectionRank[id] {
			at = i
			break
		}
	}
	m.sections = append(m.sections[:at], append([]section{{id, payload}}, m.sections[at:]...)...)
}

// encode writes the module out.
func (m *wasmModule) encode() []byte {
	out := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	for _, s := range m.sections {
		out = append(out, s.id)
		out = binary.AppendUvarint(out, uint64(len(s.payload)))
		out = append(out, s.payload...)
	}
	return out
}

// vec encodes a vector: n entries already encoded in raw, then more.
func vec(raw []byte, n int, more ...[]byte) []byte {
	b := binary.AppendUvarint(nil, uint64(n+len(more)))
	b = append(b, raw...)
	for _, e := range more {
		b = append(b, e...)
	}
	return b
}

// appendS32 appends v in signed LEB128.
func appendS32(b []byte, v int32) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// name encodes a name (a UTF-8 byte vector).
func name(s string) []byte { return append(binary.AppendUvarint(nil, uint64(len(s))), s...) }
