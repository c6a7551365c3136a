package corpus

// Category names a kind of corpus image. Synthetic categories follow the
// planning document; real ones name the npm package family they come from.
type Category string

// Synthetic categories.
const (
	Simple   Category = "simple"   // geometric marks: circles, rings, polygons, stars, stripes
	Text     Category = "text"     // letters, monograms and words, with or without a badge
	Gradient Category = "gradient" // linear and radial gradients in shapes and backgrounds
	Complex  Category = "complex"  // abstract compositions with many shapes, curves, detail and noise
)

// Real categories.
const (
	Emoji Category = "emoji" // Twemoji
	Flag  Category = "flag"  // country flags
	Icon  Category = "icon"  // Tabler icons
)

// SyntheticCategories returns the categories Generate draws, in manifest order.
func SyntheticCategories() []Category { return []Category{Simple, Text, Gradient, Complex} }

// Synthetic reports whether c is drawn by the generator.
func (c Category) Synthetic() bool {
	switch c {
	case Simple, Text, Gradient, Complex:
		return true
	}
	return false
}
