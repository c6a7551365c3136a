package hdf5store

import "errors"

// Errors returned by this package wrap one of these, so callers can test for
// them with errors.Is while the message still says which file and what.
var (
	// ErrLocked means another writer holds the store's lock file.
	ErrLocked = errors.New("locked by another writer")
	// ErrCorrupt means a snapshot or journal failed a format or checksum
	// check. The message names the file, the offset or dataset, and the check.
	ErrCorrupt = errors.New("corrupt store")
	// ErrSchema means a schema is invalid or differs from the stored one.
	ErrSchema = errors.New("schema mismatch")
	// ErrInvalid means a row, value, name or argument was rejected.
	ErrInvalid = errors.New("invalid argument")
	// ErrReadOnly means a write was attempted on a store opened read-only.
	ErrReadOnly = errors.New("store is read-only")
	// ErrClosed means the store was used after Close.
	ErrClosed = errors.New("store is closed")
)
