package api

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// This file checks responses against the committed OpenAPI document with a
// validator for the subset of OpenAPI 3.0 schemas the document uses: $ref,
// allOf, type, nullable, enum, required, properties, additionalProperties
// (false), items, minimum/maximum.

// spec is the parsed OpenAPI document.
type spec struct{ doc map[string]any }

func loadSpec(t testing.TB) spec {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return spec{doc}
}

// at follows a JSON pointer such as "#/components/schemas/Error".
func (s spec) at(ref string) (map[string]any, error) {
	var cur any = s.doc
	for _, k := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		k = strings.NewReplacer("~1", "/", "~0", "~").Replace(k)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: not an object at %q", ref, k)
		}
		if cur, ok = m[k]; !ok {
			return nil, fmt.Errorf("%s: no %q", ref, k)
		}
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not an object", ref)
	}
	return m, nil
}

// resolve follows $ref chains.
func (s spec) resolve(m map[string]any) (map[string]any, error) {
	for m["$ref"] != nil {
		var err error
		if m, err = s.at(m["$ref"].(string)); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// responseSchema returns the schema documented for path, method, status
// and content type.
func (s spec) responseSchema(path, method string, status int, ctype string) (map[string]any, error) {
	op, err := s.at("#/paths/" + strings.ReplaceAll(path, "/", "~1") + "/" + strings.ToLower(method))
	if err != nil {
		return nil, err
	}
	resps, _ := op["responses"].(map[string]any)
	r, ok := resps[strconv.Itoa(status)].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s: status %d not documented", method, path, status)
	}
	if r, err = s.resolve(r); err != nil {
		return nil, err
	}
	content, _ := r["content"].(map[string]any)
	mt, ok := content[ctype].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s %d: content type %q not documented", method, path, status, ctype)
	}
	return mt["schema"].(map[string]any), nil
}

// validate checks v (decoded JSON) against schema; where names the value.
func (s spec) validate(schema map[string]any, v any, where string) error {
	schema, err := s.resolve(schema)
	if err != nil {
		return err
	}
	if v == nil {
		if schema["nullable"] == true {
			return nil
		}
		return fmt.Errorf("%s: null, but not nullable", where)
	}
	if all, ok := schema["allOf"].([]any); ok {
		for _, sub := range all {
			if err := s.validate(sub.(map[string]any), v, where); err != nil {
				return err
			}
		}
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || e == v
		}
		if !found {
			return fmt.Errorf("%s = %v: not in enum %v", where, v, enum)
		}
	}
	typ, _ := schema["type"].(string)
	switch typ {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want object, got %T", where, v)
		}
		return s.validateObject(schema, m, where)
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want array, got %T", where, v)
		}
		items, _ := schema["items"].(map[string]any)
		for i, e := range a {
			if items != nil {
				if err := s.validate(items, e, fmt.Sprintf("%s[%d]", where, i)); err != nil {
					return err
				}
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s: want string, got %T", where, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want boolean, got %T", where, v)
		}
	case "number", "integer":
		f, ok := v.(float64)
		if !ok {
			return fmt.Errorf("%s: want %s, got %T", where, typ, v)
		}
		if typ == "integer" && f != math.Trunc(f) {
			return fmt.Errorf("%s = %v: want integer", where, f)
		}
		if lo, ok := schema["minimum"].(float64); ok && f < lo {
			return fmt.Errorf("%s = %v: below minimum %v", where, f, lo)
		}
		if hi, ok := schema["maximum"].(float64); ok && f > hi {
			return fmt.Errorf("%s = %v: above maximum %v", where, f, hi)
		}
	case "":
	default:
		return fmt.Errorf("%s: validator does not know type %q", where, typ)
	}
	return nil
}

func (s spec) validateObject(schema, m map[string]any, where string) error {
	props, _ := schema["properties"].(map[string]any)
	req, _ := schema["required"].([]any)
	for _, r := range req {
		if _, ok := m[r.(string)]; !ok {
			return fmt.Errorf("%s: required field %q missing", where, r)
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ps, ok := props[k].(map[string]any)
		if !ok {
			if schema["additionalProperties"] == false {
				return fmt.Errorf("%s: field %q not documented", where, k)
			}
			continue
		}
		if err := s.validate(ps, m[k], where+"."+k); err != nil {
			return err
		}
	}
	return nil
}

// TestSpecRefsResolve walks the whole document: every $ref must resolve,
// so a typo in the committed document fails here, not in a client.
func TestSpecRefsResolve(t *testing.T) {
	s := loadSpec(t)
	if v := s.doc["openapi"]; v != "3.0.3" {
		t.Errorf("openapi = %v", v)
	}
	var walk func(v any, where string)
	walk = func(v any, where string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if _, err := s.at(ref); err != nil {
					t.Errorf("%s: %v", where, err)
				}
			}
			for k, e := range v {
				walk(e, where+"/"+k)
			}
		case []any:
			for i, e := range v {
				walk(e, fmt.Sprintf("%s/%d", where, i))
			}
		}
	}
	walk(s.doc, "#")
	for _, route := range []string{"POST /v1/convert", "POST /v1/predict", "POST /v1/optimize",
		"POST /v1/frontier", "GET /v1/health", "GET /v1/version", "GET /v1/openapi.json", "GET /v1/metrics", "GET /v1/parameters"} {
		method, path, _ := strings.Cut(route, " ")
		if _, err := s.at("#/paths/" + strings.ReplaceAll(path, "/", "~1") + "/" + strings.ToLower(method)); err != nil {
			t.Errorf("route %s not documented: %v", route, err)
		}
	}
}

// TestValidatorRejects makes sure the validator can fail.
func TestValidatorRejects(t *testing.T) {
	s := loadSpec(t)
	errSchema := map[string]any{"$ref": "#/components/schemas/Error"}
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{`{"error":{"code":"busy","message":"x"}}`, true},
		{`{"error":{"code":"busy"}}`, false},
		{`{"error":{"code":"no_such_code","message":"x"}}`, false},
		{`{"error":{"code":"busy","message":3}}`, false},
		{`{"error":{"code":"busy","message":"x","extra":1}}`, false},
		{`[]`, false},
	} {
		var v any
		if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
			t.Fatal(err)
		}
		if err := s.validate(errSchema, v, "body"); (err == nil) != tc.ok {
			t.Errorf("%s: validate = %v, want ok=%v", tc.body, err, tc.ok)
		}
	}
}
