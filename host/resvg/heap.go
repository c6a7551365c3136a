package resvg

// The module's JavaScript values cross the boundary as indices into a heap
// that the glue keeps (index.js: heap, addHeapObject, dropObject): indices
// below heapReserved are constants the module may name itself, 128 to 131
// being undefined, null, true and false; every other index names a value
// until the module or the host drops it.
const (
	heapUndefined uint32 = 128 + iota
	heapNull
	heapTrue
	heapFalse
	heapReserved
)

// get returns the value at index i; an index that names no value reads as
// undefined, as in the glue, whose free slots hold numbers the module
// cannot mistake for its own values.
func (in *instance) get(i uint32) any {
	switch {
	case i < heapUndefined:
		return jsUndefined{}
	case i == heapUndefined:
		return jsUndefined{}
	case i == heapNull:
		return jsNull{}
	case i == heapTrue:
		return true
	case i == heapFalse:
		return false
	}
	if j := i - heapReserved; j < uint32(len(in.heap)) && in.heap[j] != nil {
		return in.heap[j]
	}
	return jsUndefined{}
}

// add stores v and returns its index.
func (in *instance) add(v any) uint32 {
	if n := len(in.free); n > 0 {
		j := in.free[n-1]
		in.free = in.free[:n-1]
		in.heap[j] = v
		return j + heapReserved
	}
	in.heap = append(in.heap, v)
	return uint32(len(in.heap)-1) + heapReserved
}

// drop frees index i; the constants are never freed.
func (in *instance) drop(i uint32) {
	if i < heapReserved {
		return
	}
	if j := i - heapReserved; j < uint32(len(in.heap)) && in.heap[j] != nil {
		in.heap[j] = nil
		in.free = append(in.free, j)
	}
}

// take returns the value at index i and drops it, as the glue's takeObject.
func (in *instance) take(i uint32) any {
	v := in.get(i)
	in.drop(i)
	return v
}

// live counts the values the heap holds for the module.
func (in *instance) live() int { return len(in.heap) - len(in.free) }

// clearHeap drops every value. The module keeps no value across calls
// (it holds none in Resvg or RenderedImage), so after a render anything
// left is a leak, such as the values of a call that trapped.
func (in *instance) clearHeap() {
	clear(in.heap)
	in.heap, in.free = in.heap[:0], in.free[:0]
}
