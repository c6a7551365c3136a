// Package wasmpatch rewrites a WebAssembly module before wazero compiles it
// so that svgai can host it safely: float selects, which wazero v1.12.0
// miscompiles on amd64, become calls, and every loop polls a stop global
// that the host sets when a call's context is done (see Instrument). Both
// modules svgai runs, VTracer (host/tracer) and resvg (host/resvg), go
// through it.
package wasmpatch
