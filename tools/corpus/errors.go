package corpus

import "errors"

// Errors returned (wrapped with detail) by this package; test with errors.Is.
var (
	ErrCategory  = errors.New("corpus: unknown category")
	ErrSize      = errors.New("corpus: invalid image size")
	ErrOptions   = errors.New("corpus: invalid options")
	ErrManifest  = errors.New("corpus: invalid manifest")
	ErrIntegrity = errors.New("corpus: integrity mismatch")
	ErrUnsafe    = errors.New("corpus: unsafe archive entry")
	ErrTooLarge  = errors.New("corpus: archive too large")
	ErrPackage   = errors.New("corpus: invalid package")
	ErrNPM       = errors.New("corpus: npm failed")
)
