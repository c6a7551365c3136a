package featstore

// Recipe is what a store records of the extractor that fills it;
// *features.Extractor is one. (An interface here, so that the extractor,
// which the serving plugin links, need not link the store.)
type Recipe interface {
	ID() string
	Dim() int
	HandcraftedNames() []string
	SimulationNames() []string
	RandomWeights() bool
}

// Describe is the recipe as a store records it.
func Describe(r Recipe) Extractor {
	return Extractor{ID: r.ID(), Dim: r.Dim(), HandcraftedNames: r.HandcraftedNames(),
		SimulationNames: r.SimulationNames(), RandomWeights: r.RandomWeights()}
}
