package supervisor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/host/discover"
	"github.com/svgai/svgai/shared/predict"
)

// Options are the parts of a Predictor that are not configuration.
type Options struct {
	// Logger receives the host's plugin messages and, under the name
	// "plugin.<executable>", the plugin's own log lines at their levels.
	// Nil discards them.
	Logger hclog.Logger
	// Clock times restarts and health checks; nil is real time.
	Clock Clock
}

// instance is one running plugin process.
type instance struct {
	client  *goplugin.Client
	cmd     *exec.Cmd // go-plugin runs and waits for this very Cmd
	pred    *predict.GRPCClient
	info    predict.Info
	pid     int
	sent    *hashSet      // images whose data this process has received
	suspect chan struct{} // a call saw a transport failure: check now
}

// killGrace bounds go-plugin's graceful shutdown of a plugin (it asks the
// plugin to exit and waits up to 2 s) before the host kills it outright.
const killGrace = 5 * time.Second

// kill stops the process and waits until it has been reaped. A plugin known
// to be broken is killed at once; otherwise it is asked to exit, and killed
// if it has not within killGrace: go-plugin's own Kill waits forever on a
// plugin that accepts connections but never answers.
func (in *instance) kill(graceful bool) {
	if !graceful {
		in.signalKill()
	}
	done := make(chan struct{})
	go func() {
		in.client.Kill()
		close(done)
	}()
	t := time.NewTimer(killGrace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		in.signalKill()
		<-done
	}
}

// signalKill kills the process through its os.Process, which knows when
// the process has been reaped (so a reused pid is never hit).
func (in *instance) signalKill() {
	if in.cmd != nil && in.cmd.Process != nil {
		_ = in.cmd.Process.Kill() // fails harmlessly if the process is already gone
	}
}

// status is what callers see of the supervisor.
type status struct {
	inst     *instance     // set while a process runs (even when unhealthy)
	reason   Reason        // "" when inst is serving
	err      error         // cause, when reason != ""
	starting chan struct{} // closed when the current launch attempt ends; nil otherwise
}

// Predictor runs the plugin and serves predictions from it, implementing
// predict.QualityPredictor. Every method fails fast with an ErrUnavailable
// error (with a Reason) when the plugin cannot answer, so the caller can fall
// back. It is safe for concurrent use. Close it to stop the plugin.
type Predictor struct {
	cfg   config.Plugin
	log   hclog.Logger
	clock Clock

	mu       sync.Mutex
	st       status
	failures int // consecutive failed launches or crashes
	restarts int // total restarts, for Status

	closeOnce sync.Once
	closing   chan struct{}
	done      chan struct{} // closed when the supervisor goroutine has ended
}

// New starts supervising the plugin the settings describe and returns at
// once; the first calls wait (within their timeouts) for the launch.
func New(s config.Plugin, opts Options) *Predictor {
	p := newPredictor(s, opts)
	if err := s.Validate(); err != nil {
		p.stop(unavailable(ReasonConfig, err))
		return p
	}
	p.st = status{reason: ReasonStarting, starting: make(chan struct{})}
	go p.run()
	return p
}

// Disabled returns a Predictor that launches nothing and answers every call
// with ReasonDisabled: what the host uses when features.prediction is off.
func Disabled() *Predictor {
	return Unavailable(ReasonDisabled, errors.New("features.prediction is off"))
}

// Unavailable returns a Predictor that never launches a plugin and fails
// every call with reason r and cause err (for example ReasonNoModel, when
// there is no model for the plugin to serve).
func Unavailable(r Reason, err error) *Predictor {
	p := newPredictor(config.DefaultPlugin(), Options{})
	p.stop(unavailable(r, err))
	return p
}

func newPredictor(s config.Plugin, opts Options) *Predictor {
	p := &Predictor{cfg: s, log: opts.Logger, clock: opts.Clock, closing: make(chan struct{}), done: make(chan struct{})}
	if p.log == nil {
		p.log = hclog.NewNullLogger()
	}
	if p.clock == nil {
		p.clock = realClock{}
	}
	return p
}

// stop records a permanent state for a Predictor whose goroutine never ran.
func (p *Predictor) stop(err *UnavailableError) {
	p.st = status{reason: err.Reason, err: err.Err}
	close(p.done)
}

// Close stops the plugin, waiting until its process has exited, and makes
// every later call fail with ReasonClosed.
func (p *Predictor) Close() error {
	p.closeOnce.Do(func() { close(p.closing) })
	<-p.done
	p.set(status{reason: ReasonClosed, err: errors.New("predictor closed")})
	return nil
}

func (p *Predictor) closed() bool {
	select {
	case <-p.closing:
		return true
	default:
		return false
	}
}

func (p *Predictor) set(st status) {
	p.mu.Lock()
	old := p.st.starting
	p.st = st
	p.mu.Unlock()
	if old != nil && old != st.starting {
		close(old)
	}
}

// run is the supervisor: launch, watch, and after a failure wait and launch
// again, until Close or a failure no restart can cure.
func (p *Predictor) run() {
	defer close(p.done)
	path, err := findPlugin(p.cfg)
	if err != nil {
		p.log.Warn("quality predictor plugin not available", "error", err)
		p.set(status{reason: ReasonMissing, err: err})
		return
	}
	for {
		inst, err := p.launch(path)
		var cause *UnavailableError
		if err == nil {
			cause = p.watch(inst) // returns nil when closing
			if cause != nil {
				// Calls fail fast from now on rather than reach a dying process.
				p.set(status{reason: ReasonRestarting, err: cause})
			}
			inst.kill(cause == nil)
		} else if !errors.As(err, &cause) {
			cause = unavailable(ReasonStart, err)
		}
		if p.closed() {
			p.set(status{reason: ReasonClosed, err: errors.New("predictor closed")})
			return
		}
		if cause.Reason.permanent() {
			p.log.Error("quality predictor plugin refused", "path", path, "reason", cause.Reason, "error", cause.Err)
			p.set(status{reason: cause.Reason, err: cause})
			return
		}
		p.mu.Lock()
		p.failures++
		n := p.failures
		p.mu.Unlock()
		if n > p.cfg.MaxRestarts {
			err := unavailable(ReasonGaveUp, fmt.Errorf("plugin %s failed %d times in a row (plugin.max_restarts = %d); last failure: %w", path, n, p.cfg.MaxRestarts, cause))
			p.log.Error("giving up on the quality predictor plugin", "error", err)
			p.set(status{reason: ReasonGaveUp, err: err})
			return
		}
		delay := backoff{p.cfg.BackoffInitial.Duration, p.cfg.BackoffMax.Duration}.Delay(n)
		p.log.Warn("quality predictor plugin failed; restarting", "in", delay, "attempt", n, "reason", cause.Reason, "error", cause.Err)
		p.set(status{reason: ReasonRestarting, err: cause})
		c, stopTimer := p.clock.NewTimer(delay)
		select {
		case <-c:
		case <-p.closing:
			stopTimer()
			p.set(status{reason: ReasonClosed, err: errors.New("predictor closed")})
			return
		}
		p.mu.Lock()
		p.restarts++
		p.mu.Unlock()
		p.set(status{reason: ReasonStarting, starting: make(chan struct{})})
	}
}

// launch starts one plugin process and checks it answers.
func (p *Predictor) launch(path string) (*instance, error) {
	pin, err := discover.PinFor(p.cfg, path)
	switch {
	case errors.Is(err, discover.ErrUntrusted):
		return nil, unavailable(ReasonConfig, err)
	case err != nil:
		return nil, unavailable(ReasonChecksum, err)
	}
	var secure *goplugin.SecureConfig
	if pin.SHA256 != "" {
		// Checked here for a clear message, and again by go-plugin just
		// before it executes the file.
		if err := discover.Verify(path, pin.SHA256); err != nil {
			return nil, unavailable(ReasonChecksum, fmt.Errorf("%w (pinned by %s)", err, pin.Source))
		}
		sum, _ := hex.DecodeString(pin.SHA256) // PinFor checked it
		secure = &goplugin.SecureConfig{Checksum: sum, Hash: sha256.New()}
	} else {
		p.log.Warn("running an unpinned plugin (plugin.allow_unpinned = true): its checksum is not verified", "path", path)
	}
	cmd := exec.Command(path, p.cfg.Args...)
	// go-plugin appends the host environment after cmd.Env and the last
	// entry wins, so build it here to let plugin.env override the host's.
	cmd.Env = append(os.Environ(), p.cfg.Env...)
	setProcAttr(cmd)
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  predict.Handshake(),
		VersionedPlugins: predict.HostPlugins(),
		Cmd:              cmd,
		SkipHostEnv:      true,
		SecureConfig:     secure,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     p.cfg.StartTimeout.Duration,
		GRPCDialOptions:  predict.DialOptions(),
		Logger:           p.log.Named("plugin"),
	})
	inst, err := p.connect(client, cmd, path)
	if err != nil {
		client.Kill()
		return nil, err
	}
	return inst, nil
}

func (p *Predictor) connect(client *goplugin.Client, cmd *exec.Cmd, path string) (*instance, error) {
	rpc, err := client.Client()
	if err != nil {
		return nil, explainStartError(path, err)
	}
	raw, err := rpc.Dispense(predict.PluginName)
	if err != nil {
		return nil, unavailable(ReasonProtocol, fmt.Errorf("plugin %s: %w", path, err))
	}
	pred, ok := raw.(*predict.GRPCClient)
	if !ok {
		return nil, unavailable(ReasonProtocol, fmt.Errorf("plugin %s: dispensed %T, want *predict.GRPCClient", path, raw))
	}
	inst := &instance{client: client, cmd: cmd, pred: pred, sent: newHashSet(256), suspect: make(chan struct{}, 1)}
	if cmd.Process != nil {
		inst.pid = cmd.Process.Pid
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.StartTimeout.Duration)
	defer cancel()
	if inst.info, err = pred.Info(ctx); err != nil {
		return nil, unavailable(ReasonStart, fmt.Errorf("plugin %s: %w", path, err))
	}
	h, err := pred.Health(ctx)
	if err != nil {
		return nil, unavailable(ReasonStart, fmt.Errorf("plugin %s: %w", path, err))
	}
	i := inst.info
	p.log.Info("quality predictor plugin started", "path", path, "pid", inst.pid, "name", i.Name, "version", i.Version,
		"model", i.ModelID, "features", i.FeatureExtractorID, "protocol", client.NegotiatedVersion(), "health", h.State.String())
	if i.Untrained {
		p.log.Warn("quality predictor plugin reports an untrained model: its predictions are meaningless", "model", i.ModelID)
	}
	p.setHealth(inst, h)
	return inst, nil
}

// explainStartError turns go-plugin's launch errors into UnavailableErrors
// whose messages say what to do.
func explainStartError(path string, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, goplugin.ErrChecksumsDoNotMatch):
		return unavailable(ReasonChecksum, fmt.Errorf("%w: plugin %s changed after its SHA-256 was checked; refusing to run it", discover.ErrChecksum, path))
	case strings.Contains(msg, "incompatible API version"), strings.Contains(msg, "incompatible core API version"):
		return unavailable(ReasonProtocol, fmt.Errorf("plugin %s speaks another svgai plugin protocol version than this svgai (%d): install the plugin built with this svgai release (go-plugin: %s)",
			path, predict.ProtocolVersion, strings.ReplaceAll(msg, "\n", " ")))
	case strings.Contains(msg, "Failed to read any lines from plugin's stdout"), strings.Contains(msg, "plugin exited before we could connect"):
		return unavailable(ReasonStart, fmt.Errorf("plugin %s exited before completing the handshake (its log above may say why)", path))
	case strings.Contains(msg, "Unrecognized remote plugin message"), strings.Contains(msg, "unsupported plugin protocol"):
		return unavailable(ReasonProtocol, fmt.Errorf("plugin %s did not complete the go-plugin gRPC handshake: is it an svgai plugin, and does it keep stdout free of output? (go-plugin: %s)",
			path, strings.ReplaceAll(msg, "\n", " ")))
	}
	return unavailable(ReasonStart, fmt.Errorf("plugin %s: %w", path, err))
}

// setHealth publishes inst with the health it reported.
func (p *Predictor) setHealth(inst *instance, h predict.Health) {
	switch h.State {
	case predict.StateNotServing:
		p.set(status{inst: inst, reason: ReasonUnhealthy, err: fmt.Errorf("plugin reports it is not serving: %s", h.Message)})
	default: // serving, or loading its model: calls wait for it
		p.set(status{inst: inst})
	}
}

// watch supervises a running instance until it must be replaced (the
// returned cause) or the Predictor closes (nil).
func (p *Predictor) watch(inst *instance) *UnavailableError {
	var tick <-chan time.Time
	stopTick := func() bool { return false }
	arm := func() {
		if p.cfg.HealthInterval.Duration > 0 {
			tick, stopTick = p.clock.NewTimer(p.cfg.HealthInterval.Duration)
		}
	}
	arm()
	defer func() { stopTick() }()
	for {
		ticked := false
		select {
		case <-p.closing:
			return nil
		case <-inst.pred.Exited():
			return unavailable(ReasonCrashed, fmt.Errorf("plugin process %d exited", inst.pid))
		case <-inst.suspect:
		case <-tick:
			ticked = true
		}
		if err := p.check(inst); err != nil {
			return err
		}
		if ticked { // the next check is an interval after this one ended
			arm()
		}
	}
}

// check asks inst for its health; a plugin that cannot answer is replaced.
func (p *Predictor) check(inst *instance) *UnavailableError {
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.HealthTimeout.Duration)
	defer cancel()
	h, err := inst.pred.Health(ctx)
	if err != nil {
		select {
		case <-inst.pred.Exited():
			return unavailable(ReasonCrashed, fmt.Errorf("plugin process %d exited", inst.pid))
		default:
		}
		return unavailable(ReasonUnhealthy, fmt.Errorf("plugin process %d failed its health check: %w", inst.pid, err))
	}
	p.setHealth(inst, h)
	if h.State == predict.StateServing {
		p.succeeded()
	}
	return nil
}

// succeeded resets the consecutive-failure count.
func (p *Predictor) succeeded() {
	p.mu.Lock()
	p.failures = 0
	p.mu.Unlock()
}

// findPlugin is discover.Plugin with its failure as a fallback reason.
func findPlugin(s config.Plugin) (string, error) {
	path, err := discover.Plugin(s)
	if err != nil {
		return "", unavailable(ReasonMissing, err)
	}
	return path, nil
}
