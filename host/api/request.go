package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/shared/budget"
	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/vtracer"
)

// Bounds on what a request sends before its image is admitted: the options
// part, the image's header (everything up to its dimensions: a JPEG's
// metadata segments), and the multipart framing around them. Until the
// image is admitted, a request holds no more memory than this.
const (
	maxOptionsBytes = 1 << 20
	maxHeaderBytes  = 1 << 20
	maxPrefixBytes  = maxOptionsBytes + maxHeaderBytes + 64<<10
	// maxFileName bounds the multipart file name of the image (NAME_MAX).
	maxFileName = 255
)

// errPrefix stops a request that sends more than maxPrefixBytes before
// its image's dimensions.
var errPrefix = errors.New("api: request prefix too long")

// upload is an admitted image file and the JSON options that came with it.
type upload struct {
	data    []byte       // the file's bytes, whole
	info    imageio.Info // from its header
	options []byte       // a JSON object, or nil when none was given
	// release returns the memory the image was admitted with; the handler
	// defers it.
	release func()
	// queueEnd is when the request stops waiting (for memory, then for a
	// conversion slot): Options.QueueTimeout after its image's header.
	queueEnd time.Time
}

// receive reads a request's upload, either multipart/form-data (parts
// "image" and optional "options") or the image itself with the options in
// the query string, and decodes its options into dst. The image is
// admitted by its header before the rest of it is read: refused when it is
// over the per-image budget, else reserved from the server's memory budget,
// waiting for it within the queue timeout. The body must arrive within
// Options.BodyTimeout (not counting that wait). On success the caller
// calls u.release.
func (s *Server) receive(w http.ResponseWriter, r *http.Request, dst any) (u upload, err error) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(s.opts.BodyTimeout)) // fails harmlessly where unsupported (tests' recorders)
	defer func() {
		if err != nil && u.release != nil {
			u.release()
			u.release = nil
		}
	}()
	body := &prefixReader{r: r.Body, left: maxPrefixBytes}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		err = s.receiveMultipart(r, rc, multipart.NewReader(body, params["boundary"]), body, &u)
	} else {
		if err = s.receiveImage(r, rc, body, body, &u); err == nil {
			u.options, err = queryOptions(r.URL.Query())
		}
	}
	if err != nil {
		return u, err
	}
	// The body is in: no deadline while the work runs (an expired one would
	// make net/http's background read cancel the request's context).
	rc.SetReadDeadline(time.Time{})
	return u, decodeOptions(u.options, dst)
}

// receiveMultipart reads the parts "image" and "options"; other parts are
// errors, so a misspelt field name is not silently ignored.
func (s *Server) receiveMultipart(r *http.Request, rc *http.ResponseController, mr *multipart.Reader, body *prefixReader, u *upload) error {
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return readError(err)
		}
		name := part.FormName()
		if seen[name] {
			return badRequest(fmt.Sprintf("form field %s given twice", clip(name)))
		}
		seen[name] = true
		switch name {
		case "image":
			if n := len(part.FileName()); n > maxFileName {
				return badRequest(fmt.Sprintf("form field \"image\": file name of %d bytes, over %d", n, maxFileName))
			}
			err = s.receiveImage(r, rc, part, body, u)
		case "options":
			u.options, err = io.ReadAll(io.LimitReader(part, maxOptionsBytes+1))
			if err == nil && len(u.options) > maxOptionsBytes {
				return badRequest(fmt.Sprintf("form field \"options\" over %d bytes", maxOptionsBytes))
			}
			err = readError(err)
		default:
			return badRequest(fmt.Sprintf("unknown form field %s (want \"image\" and optionally \"options\")", clip(name)))
		}
		if err != nil {
			return err
		}
	}
	if !seen["image"] {
		return &Error{Status: http.StatusBadRequest, Code: "missing_image", Message: `form field "image" is missing`}
	}
	return nil
}

// receiveImage reads the image's header from src, admits the image, then
// reads the rest of it. body is the request body under src, whose prefix
// limit is lifted once the image is admitted.
func (s *Server) receiveImage(r *http.Request, rc *http.ResponseController, src io.Reader, body *prefixReader, u *upload) error {
	info, head, err := imageio.ReadHeader(src, imageio.Options{MaxPixels: s.opts.MaxPixels, MaxHeaderBytes: maxHeaderBytes})
	if err != nil {
		return readError(err)
	}
	if err := convert.Admit(info, s.opts.MaxImageBytes); err != nil {
		return err
	}
	// The reservation covers the image's decoding and conversion, and
	// twice the file's bytes: they are held whole, and copied once more
	// into the message that sends them to the plugin.
	need := convert.Cost(info) + 2*bodyBound(r, s.opts.MaxBodyBytes)
	u.queueEnd = time.Now().Add(s.opts.QueueTimeout)
	ctx, cancel := context.WithDeadline(r.Context(), u.queueEnd)
	defer cancel()
	release, err := s.memory.Acquire(ctx, need)
	var tl *budget.TooLargeError
	switch {
	case errors.As(err, &tl):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "image_too_large",
			Message: fmt.Sprintf("a %d×%d image with its upload needs an estimated %s, more than the server's whole memory budget of %s (server.memory_mib)",
				info.Width, info.Height, budget.MiB(need), budget.MiB(tl.Total))}
	case err != nil && r.Context().Err() == nil:
		return &Error{Status: http.StatusServiceUnavailable, Code: "busy",
			Message: fmt.Sprintf("the images in flight left no room for %s in the server's memory budget of %s for %s; retry later",
				budget.MiB(need), budget.MiB(s.memory.Total()), s.opts.QueueTimeout)}
	case err != nil:
		return err
	}
	u.release, u.info = release, info
	rc.SetReadDeadline(time.Now().Add(s.opts.BodyTimeout)) // the wait is not the client's
	body.lift()
	// Sized from the declared length, the buffer does not grow by doubling
	// (which would hold up to twice the file) unless the length is unknown.
	size := len(head) + 4096
	if r.ContentLength > 0 {
		size = int(min(r.ContentLength, s.opts.MaxBodyBytes)) + 1
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	buf.Write(head)
	if _, err := buf.ReadFrom(src); err != nil {
		return readError(err)
	}
	u.data = buf.Bytes()
	return nil
}

// bodyBound is the most memory a request's body can take: its declared
// length, or, when it declares none, twice the limit (a buffer that grows
// by doubling).
func bodyBound(r *http.Request, limit int64) int64 {
	if r.ContentLength > 0 {
		return min(r.ContentLength, limit)
	}
	return 2 * limit
}

// prefixReader fails once more than left bytes are read, until lift.
type prefixReader struct {
	r    io.Reader
	left int64 // -1 once lifted
}

func (p *prefixReader) Read(b []byte) (int, error) {
	if p.left < 0 {
		return p.r.Read(b)
	}
	if p.left == 0 {
		return 0, errPrefix
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	n, err := p.r.Read(b)
	p.left -= int64(n)
	return n, err
}

func (p *prefixReader) lift() { p.left = -1 }

// readError keeps the errors of reading an upload that have their own
// status (over the body limit: 413; over the body timeout: 408; an image
// error: classify's) and makes others a 400.
func readError(err error) error {
	var mbe *http.MaxBytesError
	var ie *imageio.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		return &Error{Status: http.StatusRequestTimeout, Code: "request_timeout",
			Message: "the request body did not arrive within the server's body timeout (server.body_timeout)"}
	case errors.Is(err, errPrefix):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
			Message: fmt.Sprintf("more than %d bytes before the image's dimensions (multipart headers, options, image metadata)", maxPrefixBytes)}
	case errors.As(err, &mbe):
		return err
	case errors.As(err, &ie) && !errors.Is(err, imageio.ErrRead):
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
			return nil, badRequest(fmt.Sprintf("query parameter %s given %d times", clip(k), len(vs)))
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
		return badRequest(fmt.Sprintf("options.%s: want %s, got JSON %s", clipN(te.Field, 80), te.Type, clipN(te.Value, 40)))
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
			Message: fmt.Sprintf("%s: want a JSON object of VTracer parameters, got %s", field, clipN(string(raw), 40))}
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
		msg = fmt.Sprintf("%s.%s = %s out of range (allowed: %s)", field, re.Name, clipN(re.Value, 40), re.Allowed)
	}
	return &Error{Status: http.StatusBadRequest, Code: "invalid_parameter", Message: msg}
}
