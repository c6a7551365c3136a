// Package corpus builds the image corpora svgai learns from: a deterministic
// generator of synthetic logos in four categories (simple, text, gradient,
// complex), and a fetcher of real icons, emoji and flags from pinned npm
// packages. Both write PNGs and a manifest (manifest.jsonl) that records for
// every image its hash, size, category, origin and licence.
//
// Synthetic images depend only on their category, seed and size. All drawing
// is integer arithmetic: shapes and glyph outlines are polygons in 1/256-pixel
// units, anti-aliasing is exact horizontal coverage over 16 sample rows, and
// angles come from a fixed sine table. So the same seed gives the same pixels
// on every CPU; the PNG bytes are also identical for a given Go release (the
// encoder's compression is deterministic but may change between releases).
package corpus
