package svgrender

import (
	"errors"
	"math"
	"strconv"
)

// scanner reads the number lists shared by path data, transforms and
// viewBox, with the SVG grammar's separators: whitespace and at most one
// comma between numbers, and none needed where a sign or second '.' starts
// the next number ("1-2.5.5" is 1, -2.5, .5).
type scanner struct {
	s string
	i int
}

var errNumber = errors.New("expected a number")

// pow10 is a read-only table of the powers of ten that float64 holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (sc *scanner) done() bool { return sc.i >= len(sc.s) }

func (sc *scanner) peek() byte {
	if sc.i < len(sc.s) {
		return sc.s[sc.i]
	}
	return 0
}

func (sc *scanner) skipSpace() {
	for sc.i < len(sc.s) && isSpace(sc.s[sc.i]) {
		sc.i++
	}
}

// skipSep skips whitespace with at most one comma in it.
func (sc *scanner) skipSep() {
	sc.skipSpace()
	if sc.peek() == ',' {
		sc.i++
		sc.skipSpace()
	}
}

// startsNumber reports whether a number can begin at the cursor.
func (sc *scanner) startsNumber() bool {
	c := sc.peek()
	return isDigit(c) || c == '-' || c == '+' || c == '.'
}

// number reads one finite number and the separator after it.
func (sc *scanner) number() (float64, error) {
	start := sc.i
	neg := false
	if c := sc.peek(); c == '-' || c == '+' {
		neg = c == '-'
		sc.i++
	}
	// Collect the digits as an integer mantissa on the way, for the fast
	// path below.
	var mant uint64
	nd, frac := 0, 0
	for ; sc.i < len(sc.s) && isDigit(sc.s[sc.i]); sc.i++ {
		mant = mant*10 + uint64(sc.s[sc.i]-'0')
		nd++
	}
	if sc.peek() == '.' {
		sc.i++
		for ; sc.i < len(sc.s) && isDigit(sc.s[sc.i]); sc.i++ {
			mant = mant*10 + uint64(sc.s[sc.i]-'0')
			nd++
			frac++
		}
	}
	if nd == 0 {
		sc.i = start
		return 0, errNumber
	}
	exp := false
	if c := sc.peek(); c == 'e' || c == 'E' {
		// An exponent needs digits; otherwise the 'e' is not ours (as in
		// a unit like "1em", which callers then reject).
		save := sc.i
		sc.i++
		if c := sc.peek(); c == '-' || c == '+' {
			sc.i++
		}
		if sc.digits() == 0 {
			sc.i = save
		} else {
			exp = true
		}
	}
	var v float64
	if !exp && nd <= 15 && frac <= 15 {
		// Clinger's fast path: a mantissa below 2^53 and a power of ten
		// that float64 holds exactly give a correctly rounded quotient.
		v = float64(mant) / pow10[frac]
		if neg {
			v = -v
		}
	} else {
		text := sc.s[start:sc.i]
		var err error
		v, err = strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			sc.i = start
			return 0, errors.New("number out of range: " + text)
		}
	}
	sc.skipSep()
	return v, nil
}

func (sc *scanner) digits() int {
	n := 0
	for sc.i < len(sc.s) && isDigit(sc.s[sc.i]) {
		sc.i++
		n++
	}
	return n
}

// flag reads an arc flag, a single '0' or '1' that needs no separator after it.
func (sc *scanner) flag() (bool, error) {
	c := sc.peek()
	if c != '0' && c != '1' {
		return false, errors.New("expected an arc flag 0 or 1")
	}
	sc.i++
	sc.skipSep()
	return c == '1', nil
}

// numbers reads exactly n numbers.
func (sc *scanner) numbers(dst []float64) error {
	for k := range dst {
		v, err := sc.number()
		if err != nil {
			return err
		}
		dst[k] = v
	}
	return nil
}
