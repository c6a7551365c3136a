//go:build !unix

package quality

import "time"

// processCPU is not measured here; benchmarks then omit cpu-ns/op.
func processCPU() time.Duration { return 0 }
