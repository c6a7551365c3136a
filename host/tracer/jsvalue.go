package tracer

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// The JavaScript values that vtracer-wasm's imports see. The module only
// holds opaque handles to them (externref) and asks the host about them
// through the wbg imports, so the host must answer exactly as JavaScript
// would. Primitive values are Go values: bool, float64 (number), string and
// *big.Int (bigint); the types below are the rest.
type (
	jsUndefined struct{}
	jsNull      struct{}

	// jsObject is a plain object; keys keep insertion order, as
	// Object.entries reports them.
	jsObject struct {
		keys []string
		vals []any
	}
	jsArray struct{ elems []any }
	jsError struct{ message string }
	// jsMemory is the calling instance's WebAssembly.Memory and
	// jsArrayBuffer its buffer.
	jsMemory      struct{}
	jsArrayBuffer struct{}
	// jsUint8Array is a Uint8Array: a view of the whole wasm memory when
	// memory is set, else its own bytes.
	jsUint8Array struct {
		memory bool
		data   []byte
	}
)

func (o *jsObject) get(key string) (any, bool) {
	for i, k := range o.keys {
		if k == key {
			return o.vals[i], true
		}
	}
	return nil, false
}

// typeOf is JavaScript's typeof.
func typeOf(v any) string {
	switch v.(type) {
	case jsUndefined:
		return "undefined"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case *big.Int:
		return "bigint"
	}
	return "object"
}

func isNullish(v any) bool {
	switch v.(type) {
	case jsUndefined, jsNull:
		return true
	}
	return false
}

// strictEqual is JavaScript's ===.
func strictEqual(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && x == y // NaN !== NaN and 0 === -0, as in Go
	case *big.Int:
		y, ok := b.(*big.Int)
		return ok && x.Cmp(y) == 0
	case string, bool, jsUndefined, jsNull, jsMemory, jsArrayBuffer:
		return a == b
	}
	return a == b // objects: identity of the pointers
}

// looseEqual is JavaScript's == (ECMA-262 IsLooselyEqual). serde-wasm-bindgen
// relies on it for `value == null`, which is true for undefined too.
func looseEqual(a, b any) bool {
	ta, tb := typeOf(a), typeOf(b)
	_, aNull := a.(jsNull)
	_, bNull := b.(jsNull)
	switch {
	case ta == tb && aNull == bNull:
		return strictEqual(a, b)
	case isNullish(a) || isNullish(b):
		return isNullish(a) && isNullish(b)
	case ta == "number" && tb == "string":
		return a.(float64) == stringToNumber(b.(string))
	case ta == "string" && tb == "number":
		return looseEqual(b, a)
	case ta == "bigint" && tb == "string":
		n, ok := new(big.Int).SetString(strings.TrimSpace(b.(string)), 0)
		return ok && a.(*big.Int).Cmp(n) == 0
	case ta == "string" && tb == "bigint":
		return looseEqual(b, a)
	case ta == "boolean":
		return looseEqual(toNumber(a), b)
	case tb == "boolean":
		return looseEqual(a, toNumber(b))
	case ta == "object" && tb != "object":
		return looseEqual(toPrimitive(a), b)
	case tb == "object" && ta != "object":
		return looseEqual(a, toPrimitive(b))
	case ta == "bigint" && tb == "number":
		return bigEqualsNumber(a.(*big.Int), b.(float64))
	case ta == "number" && tb == "bigint":
		return bigEqualsNumber(b.(*big.Int), a.(float64))
	}
	return false
}

func bigEqualsNumber(x *big.Int, f float64) bool {
	if math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) {
		return false
	}
	y, _ := new(big.Float).SetFloat64(f).Int(nil)
	return x.Cmp(y) == 0
}

// toPrimitive converts an object the way ToPrimitive with the default hint
// does for the objects the host creates: through toString.
func toPrimitive(v any) any {
	switch o := v.(type) {
	case *jsArray:
		parts := make([]string, len(o.elems))
		for i, e := range o.elems {
			if !isNullish(e) {
				parts[i] = toString(e)
			}
		}
		return strings.Join(parts, ",")
	case *jsUint8Array:
		parts := make([]string, len(o.data))
		for i, b := range o.data {
			parts[i] = strconv.Itoa(int(b))
		}
		return strings.Join(parts, ",")
	case *jsError:
		return "Error: " + o.message
	case jsMemory:
		return "[object WebAssembly.Memory]"
	case jsArrayBuffer:
		return "[object ArrayBuffer]"
	case jsNull:
		return v
	}
	if typeOf(v) == "object" {
		return "[object Object]"
	}
	return v
}

// toNumber is JavaScript's unary plus for everything but bigints, for which
// JavaScript throws (the caller checks).
func toNumber(v any) float64 {
	switch x := toPrimitive(v).(type) {
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
		return 0
	case jsNull:
		return 0
	case string:
		return stringToNumber(x)
	}
	return math.NaN() // undefined
}

var (
	decimalLiteral = regexp.MustCompile(`^[+-]?(Infinity|[0-9]+\.?[0-9]*([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?)$`)
	radixLiteral   = regexp.MustCompile(`^0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)$`)
)

// stringToNumber is JavaScript's StringToNumber: surrounding white space is
// ignored, the empty string is 0, and anything but a numeric literal is NaN.
func stringToNumber(s string) float64 {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0
	case radixLiteral.MatchString(s):
		n, _ := new(big.Int).SetString(s, 0)
		f, _ := new(big.Float).SetInt(n).Float64()
		return f
	case decimalLiteral.MatchString(s):
		if strings.HasSuffix(s, "Infinity") {
			if s[0] == '-' {
				return math.Inf(-1)
			}
			return math.Inf(1)
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !isRangeErr(err) {
			return math.NaN()
		}
		return f // out of range: ParseFloat's ±Inf or 0, as JavaScript
	}
	return math.NaN()
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// toString is JavaScript's String(v) for the values the host creates.
func toString(v any) string {
	switch x := toPrimitive(v).(type) {
	case jsUndefined:
		return "undefined"
	case jsNull:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return numberToString(x)
	case string:
		return x
	case *big.Int:
		return x.String()
	}
	return "[object Object]"
}

// numberToString is JavaScript's Number::toString(10): the shortest
// round-tripping digits, in positional notation for exponents from -6 to 20.
func numberToString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±x
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	k, n := len(digits), x+1
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	expSign := "+"
	if n-1 < 0 {
		expSign = "-"
	}
	frac := ""
	if k > 1 {
		frac = "." + digits[1:]
	}
	return sign + digits[:1] + frac + "e" + expSign + strconv.Itoa(abs(n-1))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// debugString mirrors the glue's debugString, which serde-wasm-bindgen uses
// to name a value in its error messages.
func debugString(v any) string {
	switch x := v.(type) {
	case float64, bool, jsUndefined, jsNull:
		return toString(v)
	case string:
		return `"` + x + `"`
	case *big.Int:
		return x.String()
	case *jsArray:
		parts := make([]string, len(x.elems))
		for i, e := range x.elems {
			parts[i] = debugString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *jsObject:
		return "Object(" + objectJSON(x) + ")"
	case *jsError:
		return "Error: " + x.message
	case jsMemory:
		return "Memory"
	case jsArrayBuffer:
		return "ArrayBuffer"
	case *jsUint8Array:
		return "Uint8Array"
	}
	return "Object"
}

// objectJSON is JSON.stringify for plain objects of primitives, which is all
// the host ever hands over.
func objectJSON(o *jsObject) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(k))
		b.WriteByte(':')
		switch x := o.vals[i].(type) {
		case string:
			b.WriteString(strconv.Quote(x))
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				b.WriteString("null")
			} else {
				b.WriteString(numberToString(x))
			}
		case *jsObject:
			b.WriteString(objectJSON(x))
		default:
			b.WriteString(toString(x))
		}
	}
	b.WriteByte('}')
	return b.String()
}

// jsLength is `.length`: strings count UTF-16 code units.
func jsLength(v any) int {
	switch x := v.(type) {
	case *jsArray:
		return len(x.elems)
	case *jsUint8Array:
		return len(x.data)
	case string:
		return len(utf16.Encode([]rune(x)))
	}
	return 0
}

// isSafeInteger is Number.isSafeInteger.
func isSafeInteger(v any) bool {
	f, ok := v.(float64)
	return ok && f == math.Trunc(f) && math.Abs(f) <= 1<<53-1
}
