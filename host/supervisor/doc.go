// Package supervisor launches and supervises the quality-predictor plugin
// and offers it to the optimizer as a Predictor that never blocks for long:
// when the plugin is missing, unhealthy, restarting or slow, calls fail fast
// with an error matching ErrUnavailable and a Reason, and the caller falls
// back to plain VTracer search.
//
// go-plugin launches the process and speaks the handshake; it never restarts
// a crashed plugin and a failed client cannot be reused, so this package
// supervises: a new client per launch, exponential backoff between launches
// (after tailscale's util/backoff, with an injectable Clock), periodic health
// checks, and a Close that leaves no process behind. Where the executable is
// comes from host/discover; its settings from host/config.
package supervisor
