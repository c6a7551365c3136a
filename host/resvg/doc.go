// Package resvg renders any SVG the way resvg does, by running resvg
// itself: the WebAssembly build in the npm package @resvg/resvg-wasm
// (MPL-2.0), hosted in wazero as host/tracer hosts VTracer.
//
// svgai scores SVGs that other tools made with it: potrace output in pt,
// icon sets with strokes, <use>, gradients and transforms, viewBox-only
// icons. host/svgrender, a much faster reimplementation of resvg's fill
// rasterizer, stays the renderer for VTracer's own output, on which the two
// agree (host/svgrender/resvg_test.go).
//
// The module is rewritten before it is compiled (host/wasmpatch): wazero
// v1.12.0 miscompiles float selects, of which resvg has about two thousand,
// and a context deadline must be able to stop a render. Each render runs in
// an instance of its own with capped memory; a render that traps (resvg
// panicked, memory ran out) or is stopped discards its instance and
// reports an error. The glue the module imports (imports.go, heap.go) is
// the part of the package's index.js that rendering needs.
package resvg
