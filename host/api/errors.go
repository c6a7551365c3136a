package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/svgai/svgai/host/convert"
	"github.com/svgai/svgai/host/supervisor"
	"github.com/svgai/svgai/host/tracer"
	"github.com/svgai/svgai/shared/imageio"
	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/quality"
)

// Error is an API error: an HTTP status and the JSON body
// {"error": {"code", "message"}}. Code is stable and meant for programs;
// Message is for people and names the offending field when there is one.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// maxMessage bounds an error message: whatever a request sent, its echo
// in an error stays short.
const maxMessage = 1024

// clip quotes user input for an error message, cut to 64 bytes.
func clip(s string) string {
	if len(s) <= 64 {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%d bytes)", cut(s, 64), len(s))
}

// clipN cuts text to n bytes, marking the cut.
func clipN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return cut(s, n) + "…"
}

// cut is s's first n bytes or fewer, ending at a character boundary.
func cut(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// badRequest is a 400 with code "invalid_request".
func badRequest(msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "invalid_request", Message: msg}
}

// writeError writes err as the JSON error body, mapping errors that are not
// *Error with classify.
func writeError(w http.ResponseWriter, err error) {
	e := *asError(err)
	e.Message = clipN(e.Message, maxMessage)
	switch e.Status {
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "1")
	case http.StatusRequestTimeout:
		w.Header().Set("Connection", "close")
	}
	writeJSON(w, e.Status, map[string]*Error{"error": &e})
}

// writeJSON writes v as the response body with status. HTML escaping is
// off: SVG text is full of < and >.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"cannot encode the response"}}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// asError returns err's *Error, or classify's mapping of it.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return classify(err)
}

// failedOn reports an error of working on the user's image that no rule in
// classify maps (it would be a 500) as 422 with code: the request was
// valid and reached the work, and this image is what the work could not
// handle. A user's image never gets a 500; Server.fail logs these, since
// they may also be bugs.
func failedOn(err error, code string) error {
	if e := asError(err); e.Status == http.StatusInternalServerError {
		return &Error{Status: http.StatusUnprocessableEntity, Code: code, Message: err.Error()}
	}
	return err
}

// classify maps the errors of reading an image, converting and predicting
// to API errors. Messages come from the errors, which say what was wrong
// with the input; an internal failure's message is generic (the server
// logs the error), so that no internal path or panic text reaches users.
func classify(err error) *Error {
	var mbe *http.MaxBytesError
	var pe *tracer.PanicError
	var me *convert.MemoryError
	e := func(status int, code string) *Error { return &Error{Status: status, Code: code, Message: err.Error()} }
	switch {
	case errors.As(err, &mbe):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
			Message: "request body over the limit of " + strconv.FormatInt(mbe.Limit, 10) + " bytes (server.max_body_mib)"}
	case errors.As(err, &me):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "image_too_large", Message: strings.TrimPrefix(me.Error(), "convert: ")}
	case errors.Is(err, imageio.ErrTooLarge), predict.ErrorCode(err) == predict.CodeTooLarge:
		return e(http.StatusRequestEntityTooLarge, "image_too_large")
	case errors.Is(err, imageio.ErrFormat), errors.Is(err, imageio.ErrEmpty):
		return e(http.StatusUnsupportedMediaType, "not_an_image")
	case errors.Is(err, imageio.ErrUnsupported):
		return e(http.StatusUnsupportedMediaType, "unsupported_image")
	case errors.Is(err, imageio.ErrTruncated), errors.Is(err, imageio.ErrCorrupt):
		return e(http.StatusUnprocessableEntity, "corrupt_image")
	case errors.Is(err, quality.ErrTooSmall):
		return e(http.StatusUnprocessableEntity, "image_too_small")
	case errors.Is(err, imageio.ErrRead):
		return e(http.StatusBadRequest, "read_error")
	case errors.Is(err, supervisor.ErrUnavailable):
		// The cause names the plugin's path and its own errors: logged, not sent.
		return &Error{Status: http.StatusServiceUnavailable, Code: "predictor_unavailable",
			Message: fmt.Sprintf("the quality predictor is unavailable (%s); the server logged why", supervisor.FallbackReason(err))}
	case predict.ErrorCode(err) == predict.CodeInvalidArgument:
		return e(http.StatusBadRequest, "invalid_request")
	case errors.Is(err, tracer.ErrClosed):
		return &Error{Status: http.StatusServiceUnavailable, Code: "tracer_unavailable", Message: "the VTracer backend is closed (the server is stopping)"}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusServiceUnavailable, Code: "timeout", Message: "the work did not finish in time (tracer.timeout, plugin.call_timeout)"}
	case errors.As(err, &pe):
		return &Error{Status: http.StatusUnprocessableEntity, Code: "conversion_failed", Message: strings.TrimPrefix(pe.Error(), "tracer: ")}
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error; the server logged it"}
}
