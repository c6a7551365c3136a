package wasmpatch

import (
	"errors"
	"fmt"
)

// bodySites are the places in one function body that instrument edits.
type bodySites struct {
	// selects are the select instructions on f32 or f64 operands.
	selects []selectSite
	// loops are the offsets just after each loop's block type: the start
	// of the loop body, where a backward branch lands.
	loops []int
}

// selectSite is one select instruction, body[at:end], on operands of typ.
type selectSite struct {
	at, end int
	typ     byte
}

// ctrlFrame is an entered block, loop, if or the function body.
type ctrlFrame struct {
	height          int // operand stack height at entry
	params, results []byte
	unreachable     bool // after br, return, unreachable...: the stack is polymorphic
}

// maxLocals bounds a function's locals, as wazero does.
const maxLocals = 50000

// scanBody finds the sites in the body of function fn. The type of an
// untyped select's operands is not written in the code, so it tracks the
// types on the operand stack as a validator does (the core specification's
// validation algorithm, appendix A.3), without checking them: wazero
// validates the module, before and after instrument edits it.
func (m *wasmModule) scanBody(fn uint32, body []byte) (bodySites, error) {
	var sites bodySites
	r := &reader{b: body}
	ft := m.types[m.funcs[fn]]
	locals := append([]byte(nil), ft.params...)
	for n := r.u32(); n > 0 && r.err == nil; n-- {
		count, t := r.u32(), r.byte()
		if uint64(len(locals))+uint64(count) > maxLocals {
			return sites, errors.New("too many locals")
		}
		for ; count > 0; count-- {
			locals = append(locals, t)
		}
	}

	var stack []byte
	ctrls := []ctrlFrame{{results: ft.results}}
	top := func() *ctrlFrame { return &ctrls[len(ctrls)-1] }
	pop := func() byte {
		c := top()
		if len(stack) == c.height {
			if !c.unreachable {
				r.fail("operand stack underflow")
			}
			return valUnknown
		}
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		return t
	}
	popN := func(n int) {
		for ; n > 0; n-- {
			pop()
		}
	}
	push := func(ts ...byte) { stack = append(stack, ts...) }
	unreachable := func() {
		c := top()
		stack = stack[:c.height]
		c.unreachable = true
	}
	index := func(n int, what string) uint32 {
		i := r.u32()
		if r.err == nil && uint64(i) >= uint64(n) {
			r.fail(what + " index out of range")
			return 0
		}
		return i
	}
	typeAt := func(ts []byte, what string) byte {
		if i := index(len(ts), what); r.err == nil {
			return ts[i]
		}
		return valUnknown
	}
	calleeType := func() funcType {
		if i := index(len(m.funcs), "function"); r.err == nil {
			return m.types[m.funcs[i]]
		}
		return funcType{}
	}
	typeIndex := func() funcType {
		if i := index(len(m.types), "type"); r.err == nil {
			return m.types[i]
		}
		return funcType{}
	}
	blockType := func() (params, results []byte) {
		if r.pos >= len(r.b) {
			r.fail("missing block type")
			return nil, nil
		}
		switch t := r.b[r.pos]; t {
		case 0x40:
			r.pos++
			return nil, nil
		case valI32, valI64, valF32, valF64, valV128, valFuncref, valExtern:
			r.pos++
			return nil, []byte{t}
		}
		i := r.s33()
		if r.err == nil && (i < 0 || i >= int64(len(m.types))) {
			r.unsupported("block type " + fmt.Sprint(i))
			return nil, nil
		}
		if r.err != nil {
			return nil, nil
		}
		return m.types[i].params, m.types[i].results
	}
	enter := func(params, results []byte) {
		popN(len(params))
		ctrls = append(ctrls, ctrlFrame{height: len(stack), params: params, results: results})
		push(params...)
	}
	memarg := func() {
		if align := r.u32(); align&0x40 != 0 { // multi-memory: a memory index follows
			r.u32()
		}
		r.u32()
	}
	call := func(t funcType) {
		popN(len(t.params))
		push(t.results...)
	}

	for r.err == nil && len(ctrls) > 0 {
		at := r.pos
		op := r.byte()
		if r.err != nil {
			break
		}
		switch {
		case op == 0x00: // unreachable
			unreachable()
		case op == 0x01: // nop
		case op == 0x02: // block
			enter(blockType())
		case op == 0x03: // loop
			p, res := blockType()
			enter(p, res)
			sites.loops = append(sites.loops, r.pos)
		case op == 0x04: // if
			p, res := blockType()
			pop()
			enter(p, res)
		case op == 0x05: // else
			c := top()
			stack = stack[:c.height]
			push(c.params...)
			c.unreachable = false
		case op == 0x0B: // end
			c := top()
			stack = append(stack[:c.height], c.results...)
			ctrls = ctrls[:len(ctrls)-1]
		case op == 0x0C: // br
			r.u32()
			unreachable()
		case op == 0x0D: // br_if
			r.u32()
			pop()
		case op == 0x0E: // br_table
			for n := r.u32(); n > 0 && r.err == nil; n-- {
				r.u32()
			}
			r.u32()
			pop()
			unreachable()
		case op == 0x0F: // return
			unreachable()
		case op == 0x10: // call
			call(calleeType())
		case op == 0x11: // call_indirect
			t := typeIndex()
			index(len(m.tables), "table")
			pop()
			call(t)
		case op == 0x12: // return_call
			calleeType()
			unreachable()
		case op == 0x13: // return_call_indirect
			typeIndex()
			index(len(m.tables), "table")
			unreachable()
		case op == 0x1A: // drop
			pop()
		case op == 0x1B, op == 0x1C: // select, select t*
			t := byte(valUnknown)
			if op == 0x1C {
				ts := r.vecBytes()
				if len(ts) != 1 {
					r.fail("typed select must have one type")
					break
				}
				t = ts[0]
			}
			pop()
			t1, t2 := pop(), pop()
			if t == valUnknown {
				t = t1
			}
			if t == valUnknown {
				t = t2
			}
			push(t)
			switch t {
			case valF32, valF64:
				sites.selects = append(sites.selects, selectSite{at, r.pos, t})
			case valV128:
				// wazero lowers it to the same faulty xmmCMov.
				r.unsupported("select on v128")
			}
		case op == 0x20: // local.get
			push(typeAt(locals, "local"))
		case op == 0x21: // local.set
			index(len(locals), "local")
			pop()
		case op == 0x22: // local.tee
			t := typeAt(locals, "local")
			pop()
			push(t)
		case op == 0x23: // global.get
			push(typeAt(m.globals, "global"))
		case op == 0x24: // global.set
			index(len(m.globals), "global")
			pop()
		case op == 0x25: // table.get
			t := typeAt(m.tables, "table")
			pop()
			push(t)
		case op == 0x26: // table.set
			index(len(m.tables), "table")
			popN(2)
		case op >= 0x28 && op <= 0x35: // loads
			memarg()
			pop()
			push(loadType(op))
		case op >= 0x36 && op <= 0x3E: // stores
			memarg()
			popN(2)
		case op == 0x3F: // memory.size
			r.u32()
			push(valI32)
		case op == 0x40: // memory.grow
			r.u32()
			pop()
			push(valI32)
		case op == 0x41:
			r.skipLEB()
			push(valI32)
		case op == 0x42:
			r.skipLEB()
			push(valI64)
		case op == 0x43:
			r.bytes(4)
			push(valF32)
		case op == 0x44:
			r.bytes(8)
			push(valF64)
		case op >= 0x45 && op <= 0xC4:
			in, out := numericType(op)
			popN(in)
			push(out)
		case op == 0xD0: // ref.null t
			push(r.byte())
		case op == 0xD1: // ref.is_null
			pop()
			push(valI32)
		case op == 0xD2: // ref.func
			index(len(m.funcs), "function")
			push(valFuncref)
		case op == 0xFC:
			m.scanFC(r, pop, popN, push)
		default: // SIMD (0xFD), threads (0xFE), exceptions, GC...
			r.unsupported(fmt.Sprintf("opcode %#x", op))
		}
	}
	if r.err != nil {
		return sites, r.err
	}
	if r.pos != len(body) {
		return sites, fmt.Errorf("%d bytes after the function's end", len(body)-r.pos)
	}
	return sites, nil
}

// scanFC handles the 0xFC-prefixed instructions: saturating truncation,
// bulk memory and table operations.
func (m *wasmModule) scanFC(r *reader, pop func() byte, popN func(int), push func(...byte)) {
	switch sub := r.u32(); {
	case sub <= 7: // trunc_sat: f32/f64 to i32 (0-3) or i64 (4-7)
		pop()
		if sub < 4 {
			push(valI32)
		} else {
			push(valI64)
		}
	case sub == 8: // memory.init data memory
		r.u32()
		r.u32()
		popN(3)
	case sub == 9, sub == 13: // data.drop, elem.drop
		r.u32()
	case sub == 10: // memory.copy
		r.u32()
		r.u32()
		popN(3)
	case sub == 11: // memory.fill
		r.u32()
		popN(3)
	case sub == 12, sub == 14: // table.init, table.copy
		r.u32()
		r.u32()
		popN(3)
	case sub == 15: // table.grow
		r.u32()
		popN(2)
		push(valI32)
	case sub == 16: // table.size
		r.u32()
		push(valI32)
	case sub == 17: // table.fill
		r.u32()
		popN(3)
	default:
		r.unsupported(fmt.Sprintf("opcode 0xfc %d", sub))
	}
}

// loadType is the type a load instruction (0x28-0x35) pushes.
func loadType(op byte) byte {
	switch op {
	case 0x29, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35:
		return valI64
	case 0x2A:
		return valF32
	case 0x2B:
		return valF64
	}
	return valI32
}

// numericType is the operand count and result type of the numeric
// instructions 0x45-0xC4 (the core specification's opcode table, 5.4.7).
func numericType(op byte) (in int, out byte) {
	switch {
	case op == 0x45: // i32.eqz
		return 1, valI32
	case op <= 0x4F: // i32 comparisons
		return 2, valI32
	case op == 0x50: // i64.eqz
		return 1, valI32
	case op <= 0x66: // i64, f32, f64 comparisons
		return 2, valI32
	case op <= 0x69: // i32 clz ctz popcnt
		return 1, valI32
	case op <= 0x78: // i32 arithmetic
		return 2, valI32
	case op <= 0x7B: // i64 clz ctz popcnt
		return 1, valI64
	case op <= 0x8A: // i64 arithmetic
		return 2, valI64
	case op <= 0x91: // f32 unary
		return 1, valF32
	case op <= 0x98: // f32 binary
		return 2, valF32
	case op <= 0x9F: // f64 unary
		return 1, valF64
	case op <= 0xA6: // f64 binary
		return 2, valF64
	}
	// Conversions and sign extension: one operand each.
	switch op {
	case 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xBC, 0xC0, 0xC1:
		return 1, valI32
	case 0xAC, 0xAD, 0xAE, 0xAF, 0xB0, 0xB1, 0xBD, 0xC2, 0xC3, 0xC4:
		return 1, valI64
	case 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xBE:
		return 1, valF32
	}
	return 1, valF64 // 0xB7-0xBB, 0xBF
}
