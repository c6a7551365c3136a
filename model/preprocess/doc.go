// Package preprocess turns an image into the normalised float32 tensor
// ResNet expects (the seed's image_preprocessor): composite over white,
// resize to a square with a choice of aspect handling, optional seeded
// augmentation, ImageNet normalisation.
//
// The pipeline mirrors torchvision's PIL-based one: the composited image
// is 8-bit RGB, resizing is bilinear with antialiasing on downscale
// (golang.org/x/image/draw.BiLinear, like PIL's BILINEAR), the result is
// scaled to [0, 1] and normalised per channel, laid out C × H × W.
package preprocess
