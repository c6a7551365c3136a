package tracer

import (
	"math"
	"testing"
)

// TestJSValues pins the JavaScript semantics the host gives the module: the
// expected values are what node prints for the same expressions.
func TestJSValues(t *testing.T) {
	obj := &jsObject{keys: []string{"mode", "n"}, vals: []any{"spline", 2.5}}
	eq := []struct {
		a, b any
		want bool
	}{
		{jsNull{}, jsUndefined{}, true}, // null == undefined
		{jsUndefined{}, jsUndefined{}, true},
		{jsNull{}, 0.0, false}, // null == 0
		{"a", jsNull{}, false},
		{1.0, 1.0, true},
		{math.NaN(), math.NaN(), false},
		{0.0, math.Copysign(0, -1), true}, // 0 == -0
		{"x", "x", true},
		{true, false, false},
		{obj, obj, true},
		{obj, &jsObject{}, false},
	}
	for _, tt := range eq {
		if got := looseEqual(tt.a, tt.b); got != tt.want {
			t.Errorf("%s == %s: %v, want %v", debugString(tt.a), debugString(tt.b), got, tt.want)
		}
	}
	str := []struct {
		v         any
		s, debug  string
		typeOfStr string
	}{
		{jsUndefined{}, "undefined", "undefined", "undefined"},
		{jsNull{}, "null", "null", "object"},
		{true, "true", "true", "boolean"},
		{2.5, "2.5", "2.5", "number"},
		{"a\"b", "a\"b", `"a\"b"`, "string"},
		{&jsError{"boom"}, "Error: boom", "Error: boom", "object"},
		{obj, "[object Object]", `Object({"mode":"spline","n":2.5})`, "object"},
	}
	for _, tt := range str {
		if got := toString(tt.v); got != tt.s {
			t.Errorf("String(%v) = %q, want %q", tt.v, got, tt.s)
		}
		if got := debugString(tt.v); got != tt.debug {
			t.Errorf("debugString(%v) = %q, want %q", tt.v, got, tt.debug)
		}
		if got := typeOf(tt.v); got != tt.typeOfStr {
			t.Errorf("typeof %v = %q, want %q", tt.v, got, tt.typeOfStr)
		}
	}
	if getProperty(obj, "mode") != "spline" || getProperty(obj, "none") != (jsUndefined{}) || getProperty(&jsError{"m"}, "message") != "m" {
		t.Error("property reads")
	}
	if !hasOwnUndefined(&jsObject{keys: []string{"k"}, vals: []any{jsUndefined{}}}, "k") || hasOwnUndefined(obj, "none") {
		t.Error("`in` for a property holding undefined")
	}
}

// TestJSValuesThrow: what the host does not emulate throws a TypeError
// instead of answering wrongly.
func TestJSValuesThrow(t *testing.T) {
	for name, f := range map[string]func(){
		"coercing ==":                func() { looseEqual(1.0, "1") },
		"reading a property of null": func() { getProperty(jsNull{}, "x") },
	} {
		func() {
			defer func() {
				e, ok := recover().(*jsException)
				if !ok || toString(e.value)[:len("Error: TypeError")] != "Error: TypeError" {
					t.Errorf("%s: recovered %v, want a TypeError", name, e)
				}
			}()
			f()
		}()
	}
}
