// Package mlp is the seed's QualityPredictionModel: a multi-layer perceptron
// that maps one feature vector (image features ⊕ encoded VTracer parameters)
// to a predicted SSIM in (0, 1) through a sigmoid output, or to an unbounded
// value (the predicted ln(SVG size)) through a linear one.
//
// Forward and backward passes are written by hand over single-precision
// GEMM (gonum's pure-Go SGEMM by default; any gonum-compatible BLAS can be
// injected). All parameters live in one flat []float32 so that optimisers,
// checkpoints and gradient checks treat them uniformly; Segments says which
// range is which layer's weights or biases.
//
// Inputs are standardised inside the model (Standardizer), with statistics
// fitted on the training split only and saved with the weights, so callers
// always pass raw features.
package mlp
