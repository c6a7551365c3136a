package torchload

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The values a pickle builds. Only what torch.save emits for a state dict
// exists here: no arbitrary Python objects are ever constructed.
type (
	pyGlobal struct{ module, name string }
	pyTuple  []any
	pyList   struct{ items []any }
	// pyDict keeps insertion order; keys are compared only when they are
	// strings, so no key can be unhashable.
	pyDict struct{ keys, vals []any }
)

// unpickler runs the subset of the pickle machine (protocols 2–5) that
// torch.save uses. Python's own pickle.py is the reference for each opcode.
type unpickler struct {
	data  []byte
	pos   int
	stack []any
	marks []int
	memo  map[uint32]any
	// persistentLoad resolves BINPERSID ids (torch's storage records).
	persistentLoad func(pid any) (any, error)
	// call runs REDUCE and NEWOBJ; it holds the allow-list.
	call func(fn pyGlobal, args pyTuple) (any, error)
}

func (u *unpickler) errorf(format string, args ...any) error {
	return pthErr("data.pkl at byte %d: %s", u.pos, fmt.Sprintf(format, args...))
}

// take returns the next n bytes, checking n against what is left before
// slicing so that no length read from the file is trusted.
func (u *unpickler) take(n uint64) ([]byte, error) {
	if n > uint64(len(u.data)-u.pos) {
		return nil, u.errorf("length %d runs past the end of the pickle", n)
	}
	b := u.data[u.pos : u.pos+int(n)]
	u.pos += int(n)
	return b, nil
}

func (u *unpickler) u8() (uint64, error) {
	b, err := u.take(1)
	if err != nil {
		return 0, err
	}
	return uint64(b[0]), nil
}

func (u *unpickler) u16() (uint64, error) {
	b, err := u.take(2)
	if err != nil {
		return 0, err
	}
	return uint64(binary.LittleEndian.Uint16(b)), nil
}

func (u *unpickler) u32() (uint64, error) {
	b, err := u.take(4)
	if err != nil {
		return 0, err
	}
	return uint64(binary.LittleEndian.Uint32(b)), nil
}

func (u *unpickler) u64() (uint64, error) {
	b, err := u.take(8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

func (u *unpickler) line() (string, error) {
	for i := u.pos; i < len(u.data); i++ {
		if u.data[i] == '\n' {
			s := string(u.data[u.pos:i])
			u.pos = i + 1
			return s, nil
		}
	}
	return "", u.errorf("unterminated line")
}

func (u *unpickler) push(v any) { u.stack = append(u.stack, v) }

func (u *unpickler) pop() (any, error) {
	if len(u.stack) == 0 || (len(u.marks) > 0 && len(u.stack) == u.marks[len(u.marks)-1]) {
		return nil, u.errorf("stack underflow")
	}
	v := u.stack[len(u.stack)-1]
	u.stack = u.stack[:len(u.stack)-1]
	return v, nil
}

func (u *unpickler) top() (any, error) {
	if len(u.stack) == 0 || (len(u.marks) > 0 && len(u.stack) == u.marks[len(u.marks)-1]) {
		return nil, u.errorf("stack underflow")
	}
	return u.stack[len(u.stack)-1], nil
}

// popMark returns the items pushed since the last MARK.
func (u *unpickler) popMark() ([]any, error) {
	if len(u.marks) == 0 {
		return nil, u.errorf("no MARK on the stack")
	}
	m := u.marks[len(u.marks)-1]
	u.marks = u.marks[:len(u.marks)-1]
	items := append([]any(nil), u.stack[m:]...)
	u.stack = u.stack[:m]
	return items, nil
}

func (u *unpickler) popN(n int) ([]any, error) {
	items := make([]any, n)
	for i := n - 1; i >= 0; i-- {
		v, err := u.pop()
		if err != nil {
			return nil, err
		}
		items[i] = v
	}
	return items, nil
}

func (u *unpickler) get(idx uint64) error {
	v, ok := u.memo[uint32(idx)]
	if !ok || idx > math.MaxUint32 {
		return u.errorf("memo key %d not found", idx)
	}
	u.push(v)
	return nil
}

func (u *unpickler) put(idx uint64) error {
	v, err := u.top()
	if err != nil {
		return err
	}
	if idx > math.MaxUint32 {
		return u.errorf("memo key %d too large", idx)
	}
	u.memo[uint32(idx)] = v
	return nil
}

func (u *unpickler) setItems(d any, items []any) error {
	dict, ok := d.(*pyDict)
	if !ok {
		return u.errorf("SETITEM(S) on %T, not a dict", d)
	}
	if len(items)%2 != 0 {
		return u.errorf("odd number of items for a dict")
	}
	for i := 0; i < len(items); i += 2 {
		dict.keys = append(dict.keys, items[i])
		dict.vals = append(dict.vals, items[i+1])
	}
	return nil
}

func (u *unpickler) appendItems(l any, items []any) error {
	list, ok := l.(*pyList)
	if !ok {
		return u.errorf("APPEND(S) on %T, not a list", l)
	}
	list.items = append(list.items, items...)
	return nil
}

// signedLE decodes a pickle LONG: little-endian two's complement.
func (u *unpickler) signedLE(b []byte) (int64, error) {
	if len(b) > 8 {
		return 0, u.errorf("integer of %d bytes does not fit int64", len(b))
	}
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	if len(b) > 0 && len(b) < 8 && b[len(b)-1]&0x80 != 0 {
		v |= ^uint64(0) << (8 * len(b))
	}
	return int64(v), nil
}

// load runs the pickle to its STOP opcode and returns the result.
func (u *unpickler) load() (any, error) {
	if u.memo == nil {
		u.memo = make(map[uint32]any)
	}
	for {
		op, err := u.u8()
		if err != nil {
			return nil, u.errorf("no STOP opcode")
		}
		if err := u.step(byte(op)); err != nil {
			if err == errStop {
				return u.pop()
			}
			return nil, err
		}
	}
}

var errStop = fmt.Errorf("STOP")

func (u *unpickler) step(op byte) error {
	switch op {
	case 0x80: // PROTO
		v, err := u.u8()
		if err != nil {
			return err
		}
		if v > 5 {
			return u.errorf("unsupported pickle protocol %d", v)
		}
	case 0x95: // FRAME: the whole pickle is in memory, so frames need no handling
		_, err := u.u64()
		return err
	case '.': // STOP
		return errStop
	case '(': // MARK
		u.marks = append(u.marks, len(u.stack))
	case '0': // POP
		_, err := u.pop()
		return err
	case '1': // POP_MARK
		_, err := u.popMark()
		return err
	case '2': // DUP
		v, err := u.top()
		if err != nil {
			return err
		}
		u.push(v)
	case 'N':
		u.push(nil)
	case 0x88:
		u.push(true)
	case 0x89:
		u.push(false)
	case 'K': // BININT1
		v, err := u.u8()
		u.push(int64(v))
		return err
	case 'M': // BININT2
		v, err := u.u16()
		u.push(int64(v))
		return err
	case 'J': // BININT
		v, err := u.u32()
		u.push(int64(int32(uint32(v))))
		return err
	case 0x8a, 0x8b: // LONG1, LONG4
		var n uint64
		var err error
		if op == 0x8a {
			n, err = u.u8()
		} else {
			n, err = u.u32()
			if int32(uint32(n)) < 0 {
				return u.errorf("negative LONG4 length")
			}
		}
		if err != nil {
			return err
		}
		b, err := u.take(n)
		if err != nil {
			return err
		}
		v, err := u.signedLE(b)
		if err != nil {
			return err
		}
		u.push(v)
	case 'G': // BINFLOAT, big-endian
		b, err := u.take(8)
		if err != nil {
			return err
		}
		u.push(math.Float64frombits(binary.BigEndian.Uint64(b)))
	case 'X', 0x8c, 0x8d, 'T', 'U', 'B', 'C', 0x8e: // strings and bytes
		return u.loadString(op)
	case ')':
		u.push(pyTuple{})
	case 't':
		items, err := u.popMark()
		u.push(pyTuple(items))
		return err
	case 0x85, 0x86, 0x87: // TUPLE1..3
		items, err := u.popN(int(op-0x85) + 1)
		if err != nil {
			return err
		}
		u.push(pyTuple(items))
	case ']':
		u.push(&pyList{})
	case 'l':
		items, err := u.popMark()
		u.push(&pyList{items: items})
		return err
	case '}':
		u.push(&pyDict{})
	case 'd':
		items, err := u.popMark()
		if err != nil {
			return err
		}
		d := &pyDict{}
		u.push(d)
		return u.setItems(d, items)
	case 's': // SETITEM
		kv, err := u.popN(2)
		if err != nil {
			return err
		}
		d, err := u.top()
		if err != nil {
			return err
		}
		return u.setItems(d, kv)
	case 'u': // SETITEMS
		items, err := u.popMark()
		if err != nil {
			return err
		}
		d, err := u.top()
		if err != nil {
			return err
		}
		return u.setItems(d, items)
	case 'a': // APPEND
		v, err := u.pop()
		if err != nil {
			return err
		}
		l, err := u.top()
		if err != nil {
			return err
		}
		return u.appendItems(l, []any{v})
	case 'e': // APPENDS
		items, err := u.popMark()
		if err != nil {
			return err
		}
		l, err := u.top()
		if err != nil {
			return err
		}
		return u.appendItems(l, items)
	case 'q', 'r', 0x94: // BINPUT, LONG_BINPUT, MEMOIZE
		var idx uint64
		var err error
		switch op {
		case 'q':
			idx, err = u.u8()
		case 'r':
			idx, err = u.u32()
		default:
			idx = uint64(len(u.memo))
		}
		if err != nil {
			return err
		}
		return u.put(idx)
	case 'h', 'j': // BINGET, LONG_BINGET
		var idx uint64
		var err error
		if op == 'h' {
			idx, err = u.u8()
		} else {
			idx, err = u.u32()
		}
		if err != nil {
			return err
		}
		return u.get(idx)
	case 'c': // GLOBAL
		module, err := u.line()
		if err != nil {
			return err
		}
		name, err := u.line()
		if err != nil {
			return err
		}
		u.push(pyGlobal{module, name})
	case 0x93: // STACK_GLOBAL
		mn, err := u.popN(2)
		if err != nil {
			return err
		}
		module, ok1 := mn[0].(string)
		name, ok2 := mn[1].(string)
		if !ok1 || !ok2 {
			return u.errorf("STACK_GLOBAL needs two strings")
		}
		u.push(pyGlobal{module, name})
	case 'Q': // BINPERSID
		pid, err := u.pop()
		if err != nil {
			return err
		}
		if u.persistentLoad == nil {
			return u.errorf("persistent id outside a checkpoint")
		}
		v, err := u.persistentLoad(pid)
		if err != nil {
			return err
		}
		u.push(v)
	case 'R', 0x81: // REDUCE, NEWOBJ
		fa, err := u.popN(2)
		if err != nil {
			return err
		}
		fn, ok := fa[0].(pyGlobal)
		if !ok {
			return u.errorf("call of %T, not a global", fa[0])
		}
		args, ok := fa[1].(pyTuple)
		if !ok {
			return u.errorf("call of %s.%s with %T, not a tuple", fn.module, fn.name, fa[1])
		}
		v, err := u.call(fn, args)
		if err != nil {
			return err
		}
		u.push(v)
	case 'b': // BUILD: set an object's state; nothing we build needs one.
		if _, err := u.pop(); err != nil {
			return err
		}
		_, err := u.top()
		return err
	default:
		return u.errorf("unsupported pickle opcode 0x%02x", op)
	}
	return nil
}

func (u *unpickler) loadString(op byte) error {
	var n uint64
	var err error
	switch op {
	case 0x8c, 'U', 'C':
		n, err = u.u8()
	case 'X', 'B':
		n, err = u.u32()
	case 'T':
		n, err = u.u32()
		if int32(uint32(n)) < 0 {
			return u.errorf("negative BINSTRING length")
		}
	default: // BINUNICODE8, BINBYTES8
		n, err = u.u64()
	}
	if err != nil {
		return err
	}
	b, err := u.take(n)
	if err != nil {
		return err
	}
	if op == 'B' || op == 'C' || op == 0x8e {
		u.push(append([]byte(nil), b...))
	} else {
		u.push(string(b))
	}
	return nil
}
