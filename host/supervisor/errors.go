package supervisor

import (
	"errors"
	"sync"

	"github.com/hashicorp/go-hclog"
)

// ErrUnavailable matches (errors.Is) every error that means "the quality
// predictor cannot answer now; use plain VTracer search instead". Such errors
// are *UnavailableError values carrying a Reason.
var ErrUnavailable = errors.New("quality predictor unavailable")

// Reason says why the predictor is unavailable, in a form fit for logs and
// metrics labels.
type Reason string

// Reasons for falling back.
const (
	ReasonDisabled   Reason = "disabled"   // features.prediction is off
	ReasonConfig     Reason = "config"     // the [plugin] settings are invalid
	ReasonMissing    Reason = "missing"    // no plugin executable found
	ReasonNoModel    Reason = "no_model"   // no model directory found for the plugin to serve
	ReasonChecksum   Reason = "checksum"   // the executable's SHA-256 is not plugin.sha256
	ReasonProtocol   Reason = "protocol"   // handshake refused: not an svgai plugin or no common protocol version
	ReasonStarting   Reason = "starting"   // still launching when the call's time ran out
	ReasonStart      Reason = "start"      // launch failed (will be retried)
	ReasonRestarting Reason = "restarting" // crashed or hung; waiting to restart
	ReasonCrashed    Reason = "crashed"    // the process died during the call
	ReasonUnhealthy  Reason = "unhealthy"  // the plugin says it cannot serve
	ReasonTimeout    Reason = "timeout"    // the call exceeded plugin.call_timeout
	ReasonError      Reason = "error"      // the plugin failed the call
	ReasonGaveUp     Reason = "gave_up"    // too many consecutive failures (plugin.max_restarts)
	ReasonClosed     Reason = "closed"     // the Predictor was closed
	// ReasonUntrained is the caller's: the plugin answered, but its model is
	// untrained (predict.Info.Untrained), so the answer may not decide.
	ReasonUntrained Reason = "untrained"
)

// permanent reports reasons that no restart can cure: the host stops trying.
func (r Reason) permanent() bool {
	switch r {
	case ReasonDisabled, ReasonConfig, ReasonMissing, ReasonNoModel, ReasonChecksum, ReasonProtocol, ReasonGaveUp, ReasonClosed:
		return true
	}
	return false
}

// UnavailableError is the error of a call the predictor could not serve.
type UnavailableError struct {
	Reason Reason
	Err    error // the cause, with a message for people
}

func (e *UnavailableError) Error() string {
	if e.Err == nil {
		return ErrUnavailable.Error() + " (" + string(e.Reason) + ")"
	}
	return ErrUnavailable.Error() + " (" + string(e.Reason) + "): " + e.Err.Error()
}

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Unwrap returns the cause.
func (e *UnavailableError) Unwrap() error { return e.Err }

func unavailable(r Reason, err error) *UnavailableError {
	return &UnavailableError{Reason: r, Err: err}
}

// FallbackReason returns the Reason of an ErrUnavailable-class error, or ""
// for nil and for other errors.
func FallbackReason(err error) Reason {
	var e *UnavailableError
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// FallbackLog logs fallbacks the way the host's policy wants them: the first
// fallback for each reason at Warn, with the cause, and later ones at Debug,
// so a missing plugin is mentioned once and never repeated per request. It
// is safe for concurrent use; the zero value logs nothing until Logger is
// set.
type FallbackLog struct {
	Logger hclog.Logger
	mu     sync.Mutex
	seen   map[Reason]bool
}

// Log records one fallback caused by err.
func (f *FallbackLog) Log(err error) {
	if f.Logger == nil || err == nil {
		return
	}
	r := FallbackReason(err)
	if r == "" {
		r = ReasonError
	}
	f.mu.Lock()
	first := !f.seen[r]
	if f.seen == nil {
		f.seen = map[Reason]bool{}
	}
	f.seen[r] = true
	f.mu.Unlock()
	if first {
		f.Logger.Warn("quality predictor unavailable; using plain VTracer search", "reason", r, "error", err)
	} else {
		f.Logger.Debug("quality predictor unavailable; using plain VTracer search", "reason", r, "error", err)
	}
}
