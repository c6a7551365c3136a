package tracer

import (
	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/sys/unix"
)

// memoryAllocator backs each instance's linear memory with an anonymous
// mapping reserved at the memory's maximum (tracer.memory_limit_mib).
// wazero's own []byte is copied into a larger one at every growth, so a
// conversion that grows its memory to the limit held up to twice the limit
// at once (1.09 GB of RSS for a 512 MiB limit, measured on noise); a
// mapping grows in place, only the pages VTracer touches are resident, and
// closing the instance returns them to the system at once rather than to
// the Go heap.
func memoryAllocator() experimental.MemoryAllocator {
	return experimental.MemoryAllocatorFunc(newMappedMemory)
}

// mappedMemory is one instance's linear memory.
type mappedMemory struct{ buf []byte }

func newMappedMemory(_, max uint64) experimental.LinearMemory {
	buf, err := unix.Mmap(-1, 0, int(max), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		return &heapMemory{} // no address space to reserve: grow by copying, as wazero does
	}
	return &mappedMemory{buf: buf}
}

// Reallocate grows the memory in place; nil past the reservation makes
// the module's memory.grow fail, as at the limit.
func (m *mappedMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil
	}
	return m.buf[:size]
}

// Free unmaps the memory.
func (m *mappedMemory) Free() {
	if m.buf != nil {
		unix.Munmap(m.buf)
		m.buf = nil
	}
}

// heapMemory is a linear memory in the Go heap, copied as it grows.
type heapMemory struct{ buf []byte }

func (m *heapMemory) Reallocate(size uint64) []byte {
	if size > uint64(cap(m.buf)) {
		m.buf = append(m.buf[:cap(m.buf)], make([]byte, size-uint64(cap(m.buf)))...)
	}
	m.buf = m.buf[:size]
	return m.buf
}

func (m *heapMemory) Free() { m.buf = nil }
