package wasmpatch

import (
	"context"

	"github.com/tetratelabs/wazero/api"
)

// Interrupt arranges for an instrumented module to trap at its next loop
// check once ctx is done, by setting stop, the module's StopExport global,
// from another goroutine. The returned function disarms it and reports
// whether it fired; once it has returned, no other goroutine touches stop.
// A module whose stop global fired must be discarded: it stays set.
func Interrupt(ctx context.Context, stop api.MutableGlobal) (disarm func() (fired bool)) {
	done := make(chan struct{})
	cancel := context.AfterFunc(ctx, func() {
		stop.Set(1)
		close(done)
	})
	return func() bool {
		if cancel() {
			return false
		}
		<-done
		return true
	}
}
