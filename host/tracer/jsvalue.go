package tracer

import (
	"strconv"
	"strings"
)

// The JavaScript values that vtracer-wasm's imports see. The module only
// holds opaque handles to them (externref) and asks the host about them
// through the wbg imports, so the host must answer as JavaScript would — but
// only for what the module asks while it runs to_svg: reading the
// configuration object the host built (serde-wasm-bindgen: `in`, property
// reads, typeof checks, number/string/boolean reads, `== null`), making
// strings and errors, and printing a panic report. Primitive values are Go
// values: bool, float64 (number) and string; the types below are the rest.
// Imports the module declares but never calls from to_svg throw instead of
// guessing (see wbgImports).
type (
	jsUndefined struct{}
	jsNull      struct{}

	// jsObject is a plain object; keys keep insertion order.
	jsObject struct {
		keys []string
		vals []any
	}
	jsError struct{ message string }
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

// looseEqual is JavaScript's == where the module uses it:
// serde-wasm-bindgen's `value == null`, true for undefined too, and
// comparisons of values of one type. Comparisons that would make
// JavaScript coerce a value to another type are not asked of the host;
// they throw rather than answer wrongly.
func looseEqual(a, b any) bool {
	switch {
	case isNullish(a) || isNullish(b):
		return isNullish(a) && isNullish(b)
	case typeOf(a) != typeOf(b):
		throwTypeError("svgai's host does not coerce %s == %s", typeOf(a), typeOf(b))
	}
	return a == b // NaN != NaN and 0 == -0 as in JavaScript; objects by identity
}

// toString is JavaScript's String(v) for the values the host creates.
func toString(v any) string {
	switch x := v.(type) {
	case jsUndefined:
		return "undefined"
	case jsNull:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64) // JavaScript spells large and tiny numbers differently; only messages use this
	case string:
		return x
	case *jsError:
		return "Error: " + x.message
	}
	return "[object Object]"
}

// debugString mirrors the glue's debugString, which serde-wasm-bindgen uses
// to name a value in its error messages.
func debugString(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case *jsObject:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = strconv.Quote(k) + ":" + debugString(x.vals[i])
		}
		return "Object({" + strings.Join(parts, ",") + "})"
	}
	return toString(v)
}
