package svgrender

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is a small XML reader for SVG files. encoding/xml reads VTracer
// output at about 20 MB/s, which alone would cost more than rendering; this
// reader finds attribute values with bytes.IndexByte and is several times
// faster. It checks well-formedness (matching tags, quoted and unique
// attributes, known entities) and resolves namespaces enough to tell SVG
// elements from foreign ones; it rejects DTDs with an internal subset,
// since they can define entities.

// attr is an attribute in no namespace (the only kind SVG presentation
// attributes are); prefixed attributes such as xlink:href are dropped.
type attr struct{ name, value string }

// tag is a start tag.
type tag struct {
	local string // name without prefix
	svg   bool   // in the SVG namespace, or in none
	attrs []attr
	empty bool // <x/>: no end tag follows
	off   int  // byte offset of '<', for error positions
}

type nsBinding struct {
	prefix, uri string
	depth       int
}

// xmlReader yields the start and end tags of a document, skipping the
// prolog, comments, processing instructions, CDATA and text.
type xmlReader struct {
	s     []byte
	i     int
	open  []string // qualified names of open elements
	ns    []nsBinding
	attrs []attr // scratch for the current tag
}

func newXMLReader(s []byte) *xmlReader {
	return &xmlReader{s: bytes.TrimPrefix(s, []byte("\xef\xbb\xbf"))}
}

// line reports the 1-based line of byte offset off, for error messages.
func (r *xmlReader) line(off int) int {
	return 1 + bytes.Count(r.s[:min(off, len(r.s))], []byte{'\n'})
}

func (r *xmlReader) errorf(off int, format string, args ...any) error {
	return &FormatError{Where: fmt.Sprintf("line %d", r.line(off)), Msg: fmt.Sprintf(format, args...)}
}

// next returns the next start tag, or (nil, true) for an end tag, or
// (nil, false) at the end of input. The tag's attrs are valid until the
// next call.
func (r *xmlReader) next() (t *tag, end bool, err error) {
	for {
		lt := bytes.IndexByte(r.s[r.i:], '<')
		if lt < 0 {
			if len(r.open) == 0 && len(bytes.TrimLeft(r.s[r.i:], " \t\r\n")) > 0 {
				return nil, false, r.errorf(r.i, "text outside the root element")
			}
			if len(r.open) > 0 {
				return nil, false, r.errorf(len(r.s), "unexpected end of document inside <%s>", r.open[len(r.open)-1])
			}
			r.i = len(r.s)
			return nil, false, nil
		}
		if len(r.open) == 0 && len(bytes.TrimLeft(r.s[r.i:r.i+lt], " \t\r\n")) > 0 {
			return nil, false, r.errorf(r.i, "text outside the root element")
		}
		r.i += lt
		rest := r.s[r.i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			err = r.skipPast(4, "-->")
		case bytes.HasPrefix(rest, []byte("<?")):
			err = r.skipPast(2, "?>")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			err = r.skipPast(9, "]]>")
		case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				return nil, false, r.errorf(r.i, "unterminated DOCTYPE")
			}
			if bytes.IndexByte(rest[:end], '[') >= 0 {
				return nil, false, &UnsupportedError{Where: fmt.Sprintf("line %d", r.line(r.i)), Feature: "DTD internal subset"}
			}
			r.i += end + 1
		case bytes.HasPrefix(rest, []byte("</")):
			return nil, true, r.endTag()
		default:
			t, err := r.startTag()
			return t, false, err
		}
		if err != nil {
			return nil, false, err
		}
	}
}

func (r *xmlReader) skipPast(skip int, close string) error {
	end := bytes.Index(r.s[r.i+skip:], []byte(close))
	if end < 0 {
		return r.errorf(r.i, "unterminated %s", r.s[r.i:r.i+skip])
	}
	r.i += skip + end + len(close)
	return nil
}

func (r *xmlReader) skipSpace() {
	for r.i < len(r.s) && isSpace(r.s[r.i]) {
		r.i++
	}
}

func isNameByte(c byte, first bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_', c == ':', c >= 0x80:
		return true
	case '0' <= c && c <= '9', c == '-', c == '.':
		return !first
	}
	return false
}

func (r *xmlReader) name() (string, error) {
	start := r.i
	for r.i < len(r.s) && isNameByte(r.s[r.i], r.i == start) {
		r.i++
	}
	if r.i == start {
		return "", r.errorf(start, "expected a name")
	}
	return string(r.s[start:r.i]), nil
}

func (r *xmlReader) endTag() error {
	off := r.i
	r.i += 2
	name, err := r.name()
	if err != nil {
		return err
	}
	r.skipSpace()
	if r.i >= len(r.s) || r.s[r.i] != '>' {
		return r.errorf(off, "malformed end tag </%s", name)
	}
	r.i++
	if len(r.open) == 0 || r.open[len(r.open)-1] != name {
		return r.errorf(off, "unexpected end tag </%s>", name)
	}
	r.pop()
	return nil
}

func (r *xmlReader) pop() {
	r.open = r.open[:len(r.open)-1]
	for len(r.ns) > 0 && r.ns[len(r.ns)-1].depth > len(r.open) {
		r.ns = r.ns[:len(r.ns)-1]
	}
}

func (r *xmlReader) startTag() (*tag, error) {
	t := &tag{off: r.i}
	r.i++
	qname, err := r.name()
	if err != nil {
		return nil, err
	}
	depth := len(r.open) + 1
	r.attrs = r.attrs[:0]
	for {
		hadSpace := r.i < len(r.s) && isSpace(r.s[r.i])
		r.skipSpace()
		if r.i >= len(r.s) {
			return nil, r.errorf(t.off, "unterminated <%s>", qname)
		}
		if c := r.s[r.i]; c == '>' || c == '/' {
			if c == '/' {
				if r.i+1 >= len(r.s) || r.s[r.i+1] != '>' {
					return nil, r.errorf(t.off, "malformed tag <%s>", qname)
				}
				r.i++
				t.empty = true
			}
			r.i++
			break
		}
		if !hadSpace {
			return nil, r.errorf(r.i, "expected space before attribute in <%s>", qname)
		}
		an, err := r.name()
		if err != nil {
			return nil, err
		}
		r.skipSpace()
		if r.i >= len(r.s) || r.s[r.i] != '=' {
			return nil, r.errorf(r.i, "attribute %s has no value", an)
		}
		r.i++
		r.skipSpace()
		v, err := r.attrValue()
		if err != nil {
			return nil, err
		}
		for _, a := range r.attrs {
			if a.name == an {
				return nil, r.errorf(t.off, "duplicate attribute %s", an)
			}
		}
		switch {
		case an == "xmlns":
			r.ns = append(r.ns, nsBinding{"", v, depth})
		case strings.HasPrefix(an, "xmlns:"):
			r.ns = append(r.ns, nsBinding{an[6:], v, depth})
		}
		// Keep every attribute for now, to catch duplicates; prefixed ones
		// are dropped below.
		r.attrs = append(r.attrs, attr{an, v})
	}
	prefix, local, ok := strings.Cut(qname, ":")
	if !ok {
		prefix, local = "", qname
	}
	uri, bound := r.lookup(prefix)
	if prefix != "" && !bound {
		return nil, r.errorf(t.off, "undeclared namespace prefix %s", prefix)
	}
	t.local = local
	t.svg = uri == svgNS || (prefix == "" && uri == "")
	for _, a := range r.attrs {
		if !strings.Contains(a.name, ":") && a.name != "xmlns" {
			t.attrs = append(t.attrs, a)
		}
	}
	if !t.empty {
		r.open = append(r.open, qname)
	} else {
		r.open = append(r.open, qname)
		r.pop() // drop the bindings this empty element declared
	}
	return t, nil
}

func (r *xmlReader) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return "http://www.w3.org/XML/1998/namespace", true
	}
	for k := len(r.ns) - 1; k >= 0; k-- {
		if r.ns[k].prefix == prefix {
			return r.ns[k].uri, true
		}
	}
	return "", false
}

func (r *xmlReader) attrValue() (string, error) {
	if r.i >= len(r.s) || (r.s[r.i] != '"' && r.s[r.i] != '\'') {
		return "", r.errorf(r.i, "attribute value not quoted")
	}
	q := r.s[r.i]
	r.i++
	end := bytes.IndexByte(r.s[r.i:], q)
	if end < 0 {
		return "", r.errorf(r.i, "unterminated attribute value")
	}
	raw := r.s[r.i : r.i+end]
	off := r.i
	r.i += end + 1
	if bytes.IndexByte(raw, '<') >= 0 {
		return "", r.errorf(off, "'<' in attribute value")
	}
	if !utf8.Valid(raw) {
		return "", r.errorf(off, "attribute value is not UTF-8")
	}
	if bytes.IndexByte(raw, '&') < 0 {
		return string(raw), nil
	}
	v, err := unescape(raw)
	if err != nil {
		return "", r.errorf(off, "%v", err)
	}
	return v, nil
}

// unescape expands the predefined entities and character references.
func unescape(raw []byte) (string, error) {
	var b strings.Builder
	for len(raw) > 0 {
		amp := bytes.IndexByte(raw, '&')
		if amp < 0 {
			b.Write(raw)
			break
		}
		b.Write(raw[:amp])
		raw = raw[amp+1:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 {
			return "", errors.New("unterminated entity reference")
		}
		ent := string(raw[:semi])
		raw = raw[semi+1:]
		switch ent {
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "amp":
			b.WriteByte('&')
		case "quot":
			b.WriteByte('"')
		case "apos":
			b.WriteByte('\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ent, "#x"):
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			case strings.HasPrefix(ent, "#"):
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				return "", fmt.Errorf("unknown entity &%s;", ent)
			}
			if err != nil || n == 0 || !utf8.ValidRune(rune(n)) {
				return "", fmt.Errorf("bad character reference &%s;", ent)
			}
			b.WriteRune(rune(n))
		}
	}
	return b.String(), nil
}

// skip consumes the content and end tag of t's element.
func (r *xmlReader) skip(t *tag) error {
	if t.empty {
		return nil
	}
	depth := len(r.open)
	for len(r.open) >= depth {
		st, end, err := r.next()
		if err != nil {
			return err
		}
		if st == nil && !end {
			return r.errorf(len(r.s), "unexpected end of document")
		}
	}
	return nil
}
