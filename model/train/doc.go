// Package train fits the QualityPredictionModel (model/mlp) to conversion
// records: the seed's trainer, training config, experiment tracking and
// cross-validation.
//
// Inputs are plain in-memory tables (Dataset): a float32 feature matrix,
// SSIM targets, an image id (group) and an image category per row. The
// caller decides the splits; the trainer only ever fits the input
// standardisation on the rows it trains on.
//
// One run (Train) does mini-batch Adam/AdamW with gradient clipping, a
// learning-rate schedule, early stopping on validation loss with the best
// weights restored, and, when given an output directory, writes:
//
//	best.ckpt, last.ckpt          checkpoints (model/checkpoint)
//	events.out.tfevents.*         TensorBoard scalars and hyper-parameters
//	metrics.csv                   the same scalars, one row per epoch
//	learning_curves.png           train and validation loss per epoch
//	pred_vs_actual.png            validation predictions against the truth
//
// The same config, seed and data give a bit-identical model.
package train
