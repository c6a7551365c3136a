package torchload

import "fmt"

// FormatError reports a file that is not a well-formed checkpoint.
type FormatError struct {
	Format string // "pth" or "safetensors"
	Msg    string
}

func (e *FormatError) Error() string {
	return "torchload: invalid " + e.Format + ": " + e.Msg
}

func pthErr(format string, args ...any) error {
	return &FormatError{Format: "pth", Msg: fmt.Sprintf(format, args...)}
}

func stErr(format string, args ...any) error {
	return &FormatError{Format: "safetensors", Msg: fmt.Sprintf(format, args...)}
}

// HashError reports a file whose SHA-256 does not start with the hex prefix
// in its name, as torchvision's downloader would reject it.
type HashError struct {
	Path string
	Want string // prefix from the file name
	Got  string // full SHA-256 of the contents
}

func (e *HashError) Error() string {
	return fmt.Sprintf("torchload: %s: SHA-256 %s does not start with %s from the file name (corrupt or truncated download?)", e.Path, e.Got, e.Want)
}
