//go:build !unix

package cli

import "io"

// isTerminal reports false where the terminal cannot be asked: plain
// progress lines.
func isTerminal(io.Writer) (bool, int) { return false, 0 }
