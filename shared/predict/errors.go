package predict

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Code classifies an error that crosses the plugin boundary, so both sides
// can tell a bad request from a predictor that cannot serve.
type Code int

// Error codes. They travel as the gRPC status codes of the same names.
const (
	CodeUnknown          Code = iota // unclassified
	CodeInvalidArgument              // the request is wrong; the message names the field
	CodeNotFound                     // image sent by hash only and not cached: resend with data
	CodeUnavailable                  // the predictor cannot serve now (no model, crashed, closed)
	CodeDeadlineExceeded             // the caller's deadline passed
	CodeCanceled                     // the caller gave up
	CodeInternal                     // a bug in the predictor
	// CodeTooLarge: the image is over the predictor's memory budget per
	// image; the message says by how much. (gRPC's OutOfRange: a host
	// older than this code sees an unknown error and searches without
	// predictions, which is what it should do.)
	CodeTooLarge
)

var codeNames = [...]string{"unknown", "invalid argument", "not found", "unavailable", "deadline exceeded", "canceled", "internal", "too large"}

// String returns the code's name.
func (c Code) String() string {
	if c >= 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("code(%d)", int(c))
}

// Error is an error with a Code. Err, when set, is the cause (for example
// context.DeadlineExceeded), so errors.Is sees through it.
type Error struct {
	Code Code
	Msg  string
	Err  error
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	msg := e.Msg
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	return "predict: " + e.Code.String() + ": " + msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns err's Code: the code of the first *Error in its chain,
// CodeDeadlineExceeded or CodeCanceled for context errors, CodeUnknown
// otherwise (including nil).
func ErrorCode(err error) Code {
	var e *Error
	switch {
	case err == nil:
		return CodeUnknown
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, context.DeadlineExceeded):
		return CodeDeadlineExceeded
	case errors.Is(err, context.Canceled):
		return CodeCanceled
	}
	return CodeUnknown
}

var toGRPC = map[Code]codes.Code{
	CodeUnknown:          codes.Unknown,
	CodeInvalidArgument:  codes.InvalidArgument,
	CodeNotFound:         codes.NotFound,
	CodeUnavailable:      codes.Unavailable,
	CodeDeadlineExceeded: codes.DeadlineExceeded,
	CodeCanceled:         codes.Canceled,
	CodeInternal:         codes.Internal,
	CodeTooLarge:         codes.OutOfRange,
}

// toStatus turns an implementation's error into a gRPC status error carrying
// its code. Errors without a code count as internal: a predictor that fails
// without saying why has a bug.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	code := ErrorCode(err)
	if code == CodeUnknown {
		code = CodeInternal
	}
	msg := err.Error()
	var e *Error
	if errors.As(err, &e) && e.Msg != "" {
		msg = e.Msg
	}
	return status.Error(toGRPC[code], msg)
}

// fromStatus turns an error from a gRPC call into an *Error. A context error
// of the caller's own wins over the status, so errors.Is(err,
// context.DeadlineExceeded) holds when the caller's deadline passed.
func fromStatus(ctx context.Context, call string, err error) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return &Error{Code: ErrorCode(ctxErr), Msg: call + ": " + ctxErr.Error(), Err: ctxErr}
	}
	st, ok := status.FromError(err)
	if !ok {
		return &Error{Code: CodeUnavailable, Msg: call + ": " + err.Error(), Err: err}
	}
	code := CodeUnknown
	for c, g := range toGRPC {
		if g == st.Code() {
			code = c
		}
	}
	switch st.Code() {
	case codes.ResourceExhausted: // message over the size limit, or the server is overloaded
		code = CodeUnavailable
	case codes.Unimplemented:
		code = CodeInternal
	}
	e := &Error{Code: code, Msg: call + ": " + st.Message()}
	switch code {
	case CodeDeadlineExceeded:
		e.Err = context.DeadlineExceeded
	case CodeCanceled:
		e.Err = context.Canceled
	}
	return e
}
