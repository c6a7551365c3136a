package hdf5store

// The few HDF5 calls gonum.org/v1/hdf5 does not bind. They act on objects
// that gonum created, through their ids, so that gonum still owns and
// closes every handle.

// #cgo LDFLAGS: -lhdf5
// #cgo linux,!arm64 CFLAGS: -I/usr/lib/x86_64-linux-gnu/hdf5/serial/include
// #cgo linux,!arm64 LDFLAGS: -L/usr/lib/x86_64-linux-gnu/hdf5/serial/
// #cgo linux,arm64 CFLAGS: -I/usr/lib/aarch64-linux-gnu/hdf5/serial/include
// #cgo linux,arm64 LDFLAGS: -L/usr/lib/aarch64-linux-gnu/hdf5/serial/
// #include <malloc.h>
// #include <stdlib.h>
// #include <string.h>
// #include "hdf5.h"
//
// // Fixed-length UTF-8 strings padded with NULs: what h5py writes for numpy
// // "S" arrays, and what every HDF5 reader understands.
// static herr_t h5s_string_type(hid_t t) {
// 	if (H5Tset_strpad(t, H5T_STR_NULLPAD) < 0) return -1;
// 	return H5Tset_cset(t, H5T_CSET_UTF8);
// }
//
// // HDF5 keeps its error stack and printing switch per thread.
// static void h5s_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
//
// static herr_t h5s_walk_cb(unsigned n, const H5E_error2_t *e, void *data) {
// 	if (e->desc != NULL && e->desc[0] != 0) *(const char **)data = e->desc;
// 	return 0;
// }
//
// // h5s_last_error returns the innermost description on this thread's error
// // stack, or NULL; valid until the next HDF5 call.
// static const char *h5s_last_error(void) {
// 	const char *d = NULL;
// 	H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, h5s_walk_cb, &d);
// 	return d;
// }
//
// // h5s_bound_memory keeps memory HDF5 has freed from staying with the
// // process. HDF5 allocates and frees a chunk buffer (up to 256 KiB here)
// // per chunk it reads or writes; glibc raises its mmap threshold past
// // such blocks once one is freed, then serves them from its per-thread
// // arenas, where they fragment: streaming two million rows held about
// // 300 MB that way. A fixed threshold (which stops that adjustment) hands
// // them back at once. HDF5's own free lists, unlimited by default, are
// // capped too.
// static void h5s_bound_memory(void) {
// 	mallopt(M_MMAP_THRESHOLD, 128 << 10);
// 	mallopt(M_TRIM_THRESHOLD, 128 << 10);
// 	H5set_free_list_limits(1 << 20, 256 << 10, 4 << 20, 1 << 20, 4 << 20, 1 << 20);
// }
//
// static int h5s_threadsafe(void) {
// 	hbool_t ts = 0;
// 	return H5is_library_threadsafe(&ts) >= 0 && ts;
// }
//
// static herr_t h5s_utf8(hid_t t) { return H5Tset_cset(t, H5T_CSET_UTF8); }
// static herr_t h5s_shuffle(hid_t dcpl) { return H5Pset_shuffle(dcpl); }
// static herr_t h5s_fletcher32(hid_t dcpl) { return H5Pset_fletcher32(dcpl); }
// static herr_t h5s_no_times(hid_t dcpl) { return H5Pset_obj_track_times(dcpl, 0); }
//
// // Element kinds as this package stores them; 0 for anything else.
// enum { K_OTHER = 0, K_F32 = 1, K_F64 = 2, K_I64 = 3, K_STR = 4 };
//
// // h5s_dataset_kind classifies a dataset's file type, refusing types that
// // would need conversion to be read into Go memory (big-endian, other
// // sizes, variable-length strings).
// static int h5s_dataset_kind(hid_t dset, size_t *strsize) {
// 	hid_t t = H5Dget_type(dset);
// 	if (t < 0) return -1;
// 	int k = K_OTHER;
// 	if (H5Tequal(t, H5T_NATIVE_FLOAT) > 0) k = K_F32;
// 	else if (H5Tequal(t, H5T_NATIVE_DOUBLE) > 0) k = K_F64;
// 	else if (H5Tequal(t, H5T_NATIVE_INT64) > 0) k = K_I64;
// 	else if (H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) == 0) {
// 		k = K_STR;
// 		*strsize = H5Tget_size(t);
// 	}
// 	H5Tclose(t);
// 	return k;
// }
//
// static int h5s_attr_count(hid_t loc) {
// 	H5O_info_t info;
// 	if (H5Oget_info1(loc, &info) < 0) return -1;
// 	return (int)info.num_attrs;
// }
//
// static ssize_t h5s_attr_name(hid_t loc, hsize_t idx, char *buf, size_t size) {
// 	return H5Aget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, idx, buf, size, H5P_DEFAULT);
// }
//
// // h5s_read_str_attr returns a malloc'd copy of a scalar string attribute,
// // fixed- or variable-length, or NULL with *why set.
// static char *h5s_read_str_attr(hid_t loc, const char *name, const char **why) {
// 	char *out = NULL;
// 	hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
// 	if (a < 0) { *why = "cannot open attribute"; return NULL; }
// 	hid_t ft = H5Aget_type(a);
// 	hid_t sp = H5Aget_space(a);
// 	if (ft < 0 || sp < 0 || H5Tget_class(ft) != H5T_STRING || H5Sget_simple_extent_type(sp) != H5S_SCALAR) {
// 		*why = "not a scalar string";
// 	} else if (H5Tis_variable_str(ft) > 0) {
// 		hid_t mt = H5Tcopy(H5T_C_S1);
// 		char *s = NULL;
// 		if (mt >= 0 && H5Tset_size(mt, H5T_VARIABLE) >= 0 && H5Tset_cset(mt, H5Tget_cset(ft)) >= 0 &&
// 		    H5Aread(a, mt, &s) >= 0 && s != NULL) {
// 			out = strdup(s);
// 			H5free_memory(s);
// 		} else {
// 			*why = "cannot read variable-length string";
// 		}
// 		if (mt >= 0) H5Tclose(mt);
// 	} else {
// 		size_t n = H5Tget_size(ft);
// 		out = calloc(n + 1, 1);
// 		if (out == NULL || H5Aread(a, ft, out) < 0) {
// 			free(out);
// 			out = NULL;
// 			*why = "cannot read fixed-length string";
// 		}
// 	}
// 	if (sp >= 0) H5Sclose(sp);
// 	if (ft >= 0) H5Tclose(ft);
// 	H5Aclose(a);
// 	return out;
// }
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"gonum.org/v1/hdf5"
)

// A library built without thread safety must not be entered by two threads
// at once; hdf5Serial then serializes this package's calls into it.
var (
	hdf5ThreadSafe = C.h5s_threadsafe() != 0
	hdf5Serial     sync.Mutex
)

// Before the first allocation HDF5 makes: see h5s_bound_memory.
func init() { C.h5s_bound_memory() }

// withHDF5 runs fn on one OS thread with HDF5's error printing turned off
// there. The library keeps error state per thread, so without the lock its
// messages would go to stderr from whichever thread a goroutine lands on,
// and detail could not read the stack of the call that failed.
func withHDF5(fn func() error) error {
	if !hdf5ThreadSafe {
		hdf5Serial.Lock()
		defer hdf5Serial.Unlock()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.h5s_quiet()
	return fn()
}

// detail adds HDF5's own description of the failure that just happened on
// this thread (gonum's errors carry only a return code). Call it inside
// withHDF5, right after the failing call.
func detail(err error) error {
	if d := C.h5s_last_error(); d != nil {
		msg, _, _ := strings.Cut(C.GoString(d), "\n") // some carry system details on further lines
		return fmt.Errorf("%w (HDF5: %s)", err, strings.TrimRight(msg, ", "))
	}
	return err
}

func hid(id hdf5.Identifier) C.hid_t { return C.hid_t(id.ID()) }

// newStringType returns a fixed-length UTF-8 string type of size bytes.
func newStringType(size int) (*hdf5.Datatype, error) {
	t, err := hdf5.T_C_S1.Copy()
	if err != nil {
		return nil, err
	}
	if err := t.SetSize(size); err != nil {
		t.Close()
		return nil, err
	}
	if C.h5s_string_type(hid(t.Identifier)) < 0 {
		t.Close()
		return nil, fmt.Errorf("set string padding and character set")
	}
	return t, nil
}

// newAttrStringType returns a variable-length UTF-8 string type, which
// h5py and h5dump show as plain text attributes.
func newAttrStringType() (*hdf5.Datatype, error) {
	t, err := hdf5.T_GO_STRING.Copy()
	if err != nil {
		return nil, err
	}
	if C.h5s_utf8(hid(t.Identifier)) < 0 {
		t.Close()
		return nil, fmt.Errorf("set character set")
	}
	return t, nil
}

func setShuffle(p *hdf5.PropList) error {
	if C.h5s_shuffle(hid(p.Identifier)) < 0 {
		return fmt.Errorf("set shuffle filter")
	}
	return nil
}

func setFletcher32(p *hdf5.PropList) error {
	if C.h5s_fletcher32(hid(p.Identifier)) < 0 {
		return fmt.Errorf("set fletcher32 filter")
	}
	return nil
}

// setNoTimes leaves timestamps out of object headers, so a snapshot's bytes
// depend only on its contents.
func setNoTimes(p *hdf5.PropList) error {
	if C.h5s_no_times(hid(p.Identifier)) < 0 {
		return fmt.Errorf("disable object time tracking")
	}
	return nil
}

// datasetKind returns the Kind of d's element type (0 if it is none of
// ours) and, for strings, the fixed length in bytes.
func datasetKind(d *hdf5.Dataset) (Kind, int, error) {
	var size C.size_t
	switch C.h5s_dataset_kind(hid(d.Identifier), &size) {
	case -1:
		return 0, 0, fmt.Errorf("cannot read datatype")
	case C.K_F32:
		return Float32, 4, nil
	case C.K_F64:
		return Float64, 8, nil
	case C.K_I64:
		return Int64, 8, nil
	case C.K_STR:
		return String, int(size), nil
	}
	return 0, 0, nil
}

// attrNames lists the attributes attached to the object loc.
func attrNames(loc hdf5.Identifier) ([]string, error) {
	n := int(C.h5s_attr_count(hid(loc)))
	if n < 0 {
		return nil, fmt.Errorf("cannot count attributes")
	}
	names := make([]string, 0, n)
	buf := make([]byte, 1024)
	for i := 0; i < n; i++ {
		l := C.h5s_attr_name(hid(loc), C.hsize_t(i), (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
		if l < 0 {
			return nil, fmt.Errorf("cannot read name of attribute %d", i)
		}
		if int(l) >= len(buf) {
			return nil, fmt.Errorf("attribute %d has a name of %d bytes", i, int(l))
		}
		names = append(names, string(buf[:l]))
	}
	return names, nil
}

// readStringAttr reads the scalar string attribute name of loc.
func readStringAttr(loc hdf5.Identifier, name string) (string, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var why *C.char
	s := C.h5s_read_str_attr(hid(loc), cname, &why)
	if s == nil {
		return "", fmt.Errorf("attribute %q: %s", name, C.GoString(why))
	}
	defer C.free(unsafe.Pointer(s))
	return C.GoString(s), nil
}
