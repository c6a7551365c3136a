package supervisor

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/svgai/svgai/shared/predict"
	"github.com/svgai/svgai/shared/vtracer"
)

var _ predict.QualityPredictor = (*Predictor)(nil)

// crashGrace is how long a call that lost its connection waits to learn
// whether the plugin process died.
const crashGrace = 100 * time.Millisecond

// acquire returns the serving instance, waiting (within ctx) while a launch
// is under way, or the ErrUnavailable error that says why there is none.
func (p *Predictor) acquire(ctx context.Context) (*instance, error) {
	for {
		p.mu.Lock()
		st := p.st
		p.mu.Unlock()
		switch {
		case st.inst != nil && st.reason == "":
			return st.inst, nil
		case st.starting != nil:
			select {
			case <-st.starting:
				continue
			case <-ctx.Done():
				return nil, unavailable(ReasonStarting, errors.New("plugin still starting: "+ctx.Err().Error()))
			}
		case st.reason == "":
			return nil, unavailable(ReasonError, errors.New("no plugin instance")) // not reached
		}
		if e, ok := st.err.(*UnavailableError); ok && e.Reason == st.reason {
			return nil, e
		}
		return nil, unavailable(st.reason, st.err)
	}
}

// Predict implements predict.QualityPredictor through the plugin, within
// plugin.call_timeout. An image whose data this plugin process already
// received is sent by hash only (and resent in full if the plugin has
// dropped it). Errors: the caller's own context error; a predict.Error with
// CodeInvalidArgument for a bad request or CodeTooLarge for an image over
// the plugin's memory budget; otherwise an ErrUnavailable error.
func (p *Predictor) Predict(ctx context.Context, img predict.Image, params []vtracer.Params) ([]predict.Prediction, error) {
	timeout := p.cfg.CallTimeout.Duration
	d, ok := ctx.Deadline()
	callerBound := ok && time.Until(d) < timeout // the caller's deadline, not ours, ends the call
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	inst, err := p.acquire(cctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	send := img
	if len(img.Data) > 0 && inst.sent.has(img.SHA256) {
		send.Data = nil
	}
	preds, err := inst.pred.Predict(cctx, send, params)
	if predict.ErrorCode(err) == predict.CodeNotFound && send.Data == nil && len(img.Data) > 0 {
		preds, err = inst.pred.Predict(cctx, img, params)
	}
	if err == nil {
		if len(img.Data) > 0 {
			inst.sent.add(img.SHA256)
		}
		p.succeeded()
		return preds, nil
	}
	return nil, p.classify(ctx, callerBound, inst, err)
}

// classify maps a failed call's error to what the caller should do.
// callerBound says the caller's deadline was earlier than the call timeout:
// gRPC may report that deadline a moment before ctx.Err() is set.
func (p *Predictor) classify(ctx context.Context, callerBound bool, inst *instance, err error) error {
	if ctx.Err() != nil || callerBound && predict.ErrorCode(err) == predict.CodeDeadlineExceeded {
		return err // the caller gave up or its own deadline passed
	}
	switch predict.ErrorCode(err) {
	case predict.CodeInvalidArgument, predict.CodeTooLarge:
		return err
	case predict.CodeDeadlineExceeded:
		inst.suspectNow() // a hung plugin fails its health check and is restarted
		return unavailable(ReasonTimeout, err)
	case predict.CodeUnavailable, predict.CodeCanceled: // canceled, not by the caller: the connection closed under the call
		inst.suspectNow()
		// A dead process breaks the connection a moment before go-plugin
		// has reaped it; give it that moment to tell a crash apart.
		c, stop := p.clock.NewTimer(crashGrace)
		defer stop()
		select {
		case <-inst.pred.Exited():
			return unavailable(ReasonCrashed, err)
		case <-c:
			return unavailable(ReasonError, err)
		}
	}
	return unavailable(ReasonError, err)
}

func (in *instance) suspectNow() {
	select {
	case in.suspect <- struct{}{}:
	default:
	}
}

// Info returns the running plugin's self-description (from its launch).
func (p *Predictor) Info(ctx context.Context) (predict.Info, error) {
	cctx, cancel := context.WithTimeout(ctx, p.cfg.CallTimeout.Duration)
	defer cancel()
	inst, err := p.acquire(cctx)
	if err != nil {
		return predict.Info{}, err
	}
	return inst.info, nil
}

// Health reports whether predictions can be had now: the plugin's own answer
// when it runs, otherwise StateNotServing with the reason as message (and no
// error, since not serving is the answer).
func (p *Predictor) Health(ctx context.Context) (predict.Health, error) {
	s := p.Status()
	if s.Reason == ReasonStarting {
		return predict.Health{State: predict.StateStarting, Message: "plugin starting"}, nil
	}
	if s.Reason != "" {
		return predict.Health{State: predict.StateNotServing, Message: string(s.Reason) + ": " + errString(s.Err)}, nil
	}
	p.mu.Lock()
	inst := p.st.inst
	p.mu.Unlock()
	if inst == nil {
		return predict.Health{State: predict.StateNotServing, Message: "no plugin process"}, nil
	}
	cctx, cancel := context.WithTimeout(ctx, p.cfg.HealthTimeout.Duration)
	defer cancel()
	h, err := inst.pred.Health(cctx)
	if err != nil {
		inst.suspectNow()
		return predict.Health{State: predict.StateNotServing, Message: err.Error()}, nil
	}
	return h, nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Status is a snapshot of the supervisor, for diagnostics and metrics.
type Status struct {
	Reason   Reason // "" when serving
	Err      error  // why not serving
	Pid      int    // the plugin process, or 0
	Restarts int    // restarts since New
	Info     predict.Info
}

// Status returns the supervisor's current state.
func (p *Predictor) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := Status{Reason: p.st.reason, Err: p.st.err, Restarts: p.restarts}
	if p.st.inst != nil {
		s.Pid = p.st.inst.pid
		s.Info = p.st.inst.info
	}
	return s
}

// WaitReady waits until the plugin serves or is known to be unavailable,
// and returns nil or the ErrUnavailable error. For callers such as a
// diagnostics command that want the launch's outcome before any Predict.
func (p *Predictor) WaitReady(ctx context.Context) error {
	_, err := p.acquire(ctx)
	return err
}

// hashSet is a bounded set of image hashes: when full, it forgets
// everything, which only costs a resend.
type hashSet struct {
	mu  sync.Mutex
	max int
	m   map[string]struct{}
}

func newHashSet(max int) *hashSet { return &hashSet{max: max, m: map[string]struct{}{}} }

func (s *hashSet) has(h string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[h]
	return ok
}

func (s *hashSet) add(h string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= s.max {
		clear(s.m)
	}
	s.m[h] = struct{}{}
}
