package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/svgai/svgai/shared/vtracer"
)

// maxOptionsBytes bounds the options part of a multipart upload.
const maxOptionsBytes = 1 << 20

// upload is an image file and the JSON options that came with it.
type upload struct {
	image   []byte
	options []byte // a JSON object, or nil when none was given
}

// readUpload reads a request body (limited in ServeHTTP), either
// multipart/form-data (parts "image" and optional "options") or the image
// itself with the options in the query string.
func readUpload(r *http.Request) (upload, error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		return readMultipart(multipart.NewReader(r.Body, params["boundary"]))
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return upload{}, readError(err)
	}
	opts, err := queryOptions(r.URL.Query())
	return upload{image: data, options: opts}, err
}

// readMultipart reads the parts "image" and "options"; other parts are
// errors, so a misspelt field name is not silently ignored.
func readMultipart(mr *multipart.Reader) (upload, error) {
	var u upload
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return u, readError(err)
		}
		name := part.FormName()
		if seen[name] {
			return u, badRequest(fmt.Sprintf("form field %q given twice", name))
		}
		seen[name] = true
		switch name {
		case "image":
			u.image, err = io.ReadAll(part)
		case "options":
			u.options, err = io.ReadAll(io.LimitReader(part, maxOptionsBytes+1))
			if err == nil && len(u.options) > maxOptionsBytes {
				return u, badRequest(fmt.Sprintf("form field \"options\" over %d bytes", maxOptionsBytes))
			}
		default:
			return u, badRequest(fmt.Sprintf("unknown form field %q (want \"image\" and optionally \"options\")", name))
		}
		if err != nil {
			return u, readError(err)
		}
	}
	if !seen["image"] {
		return u, &Error{Status: http.StatusBadRequest, Code: "missing_image", Message: `form field "image" is missing`}
	}
	return u, nil
}

// readError keeps a body-limit error (413) and makes others a 400.
func readError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return badRequest("read request body: " + err.Error())
}

// queryOptions turns the query string into an options object: each key is
// a field, its value taken as JSON when it parses as JSON and as a string
// otherwise (so ?preset=poster&params={"filter_speckle":2} works).
func queryOptions(q url.Values) ([]byte, error) {
	if len(q) == 0 {
		return nil, nil
	}
	obj := make(map[string]json.RawMessage, len(q))
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, badRequest(fmt.Sprintf("query parameter %q given %d times", k, len(vs)))
		}
		v := []byte(vs[0])
		if !json.Valid(v) {
			v, _ = json.Marshal(vs[0])
		}
		obj[k] = v
	}
	return json.Marshal(obj)
}

// decodeOptions decodes a JSON options object into dst, refusing unknown
// fields and trailing data. Errors are 400s naming the field.
func decodeOptions(data []byte, dst any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return badRequest(fmt.Sprintf("options.%s: want %s, got JSON %s", te.Field, te.Type, te.Value))
	case err != nil:
		return badRequest("options: " + strings.TrimPrefix(err.Error(), "json: "))
	case dec.More():
		return badRequest("options: trailing data after the JSON object")
	}
	return nil
}

// parseParams parses a partial parameter object over base. field names
// it in errors ("params" or "params[2]").
func parseParams(field string, raw json.RawMessage, base vtracer.Params) (vtracer.Params, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return base, &Error{Status: http.StatusBadRequest, Code: "invalid_parameter",
			Message: fmt.Sprintf("%s: want a JSON object of VTracer parameters, got %.40s", field, raw)}
	}
	p, err := vtracer.ParseJSON(raw, base)
	if err != nil {
		return base, paramsError(field, err)
	}
	return p, nil
}

// paramsError turns a vtracer parameter error into a 400 whose message
// names the field as the request spelt it (field is e.g. "params" or
// "params[2]").
func paramsError(field string, err error) error {
	var re *vtracer.RangeError
	msg := field + ": " + strings.TrimPrefix(err.Error(), "vtracer: ")
	if errors.As(err, &re) {
		msg = fmt.Sprintf("%s.%s = %s out of range (allowed: %s)", field, re.Name, re.Value, re.Allowed)
	}
	return &Error{Status: http.StatusBadRequest, Code: "invalid_parameter", Message: msg}
}
