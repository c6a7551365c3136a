// Package svgrender parses and rasterizes the SVG that VTracer writes: filled
// paths with flat colours, optional transforms and no viewBox.
//
// It exists so that svgai can score a conversion without leaving the process.
// Rendering follows SVG's painter's order, fill rules and source-over
// compositing, and reproduces resvg (the reference renderer): coverage on
// tiny-skia's 4×4 supersampling grid with its fixed-point edges and curve
// subdivision (aa.go, aaedge.go), 8-bit premultiplied compositing
// (canvas.go). On real VTracer output it agrees with resvg to SSIM ≥ 0.9999,
// most icons pixel for pixel; see resvg_test.go. Paths with coordinates
// beyond ±4096 px are drawn by an exact-area rasterizer (raster.go).
//
// The supported subset is deliberately small and anything outside it is
// rejected with an [UnsupportedError] rather than drawn wrongly: <svg>, <g>
// and <path> elements; fill, fill-opacity, fill-rule, opacity (not on
// groups), display and transform attributes (also inside style="...");
// every path command including arcs; viewBox with preserveAspectRatio.
// Strokes, gradients, <use>, basic shapes, text and images are not supported.
package svgrender
