package predictor

import "runtime"

// WorkingBytes estimates the memory Predict needs for a new w×h image
// beyond its decoded pixels: the simulation's prepared image and planes,
// each CPU's clustering scratch and paintings, the handcrafted features
// and the network's input. Measured as the peak of the Go heap's objects
// over the call (64 parameter sets, icons and flags scaled to 256–1000 px):
// 279–312 bytes per pixel on one CPU, 383–525 on two, 774–794 on four;
// this is 192 + 168 per CPU, rounded up from those. A larger image than
// SimPixels is worked on shrunk to SimPixels (plus the shrunk copy itself,
// 4 bytes a pixel). The plugin admits images by it before decoding them.
func WorkingBytes(w, h int) int64 {
	px := min(int64(w)*int64(h), SimPixels)
	return px * int64(192+168*runtime.GOMAXPROCS(0)+4)
}
