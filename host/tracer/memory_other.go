//go:build !linux

package tracer

import "github.com/tetratelabs/wazero/experimental"

// memoryAllocator is wazero's own elsewhere: a []byte copied at each growth.
func memoryAllocator() experimental.MemoryAllocator { return nil }
