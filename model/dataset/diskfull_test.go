package dataset

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// smallDisk is a directory with little room: a tmpfs of the given size when
// the test runs as root (CI does) and mounting works, otherwise a
// per-process file size limit (RLIMIT_FSIZE) that makes writes past size
// fail the same way. grow makes room for everything.
type smallDisk struct {
	dir  string
	grow func()
	fill func() // leaves no room for a new file of a few KiB
}

func newSmallDisk(t *testing.T, size int) smallDisk {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		mnt := filepath.Join(dir, "tmpfs")
		if err := os.Mkdir(mnt, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err == nil {
			t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
			return smallDisk{dir: mnt, grow: func() {
				if err := syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_REMOUNT, "size=64m"); err != nil {
					t.Fatalf("grow tmpfs: %v", err)
				}
			}, fill: func() {
				f, err := os.Create(filepath.Join(mnt, "filler"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				for b := make([]byte, 4096); err == nil; _, err = f.Write(b) {
				}
			}}
		} else {
			t.Logf("cannot mount a tmpfs (%v): limiting file sizes instead", err)
		}
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit then fails with EFBIG
	lim := old
	lim.Cur = uint64(size)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	restore := func() { syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old) }
	t.Cleanup(restore)
	return smallDisk{dir: dir, grow: restore, fill: func() {
		lim.Cur = 4 << 10
		syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim)
	}}
}

// TestCreateOnFullDisk creates a dataset with less and less room: creation
// either fails and leaves no dataset, or leaves one that opens with its
// schema version (issue 14: a full disk once left a file that read as
// schema version "").
func TestCreateOnFullDisk(t *testing.T) {
	ctx := context.Background()
	failed := 0
	for size := 4 << 10; size <= 128<<10; size += 4 << 10 {
		disk := newSmallDisk(t, size)
		path := filepath.Join(disk.dir, "ds.h5")
		s, err := Open(ctx, path)
		if err == nil {
			if err := s.Close(); err != nil {
				t.Fatalf("%d bytes: Close of an empty dataset: %v", size, err)
			}
		} else {
			failed++
			if !strings.Contains(err.Error(), path) {
				t.Errorf("%d bytes: error %q does not name the file", size, err)
			}
		}
		r, rerr := OpenReadOnly(ctx, path)
		switch {
		case err != nil && errors.Is(rerr, fs.ErrNotExist):
			// Nothing left behind.
		case rerr != nil:
			t.Fatalf("%d bytes: creation said %v, and what it left does not open: %v", size, err, rerr)
		default:
			r.Close()
		}
		if err == nil {
			t.Logf("creation needs %d bytes of room; %d smaller disks refused it cleanly", size, failed)
			if failed == 0 {
				t.Fatal("even the smallest disk had room: the test exercised nothing")
			}
			return
		}
	}
	t.Fatal("no disk up to 128 KiB had room for an empty dataset")
}

// TestDiskFullWhileWriting fills the disk while records are added and
// flushed: Close must fail (a command then exits non-zero), what is on
// disk must open and hold at least every committed record exactly once,
// and once there is room again, a rerun completes.
func TestDiskFullWhileWriting(t *testing.T) {
	ctx := context.Background()
	disk := newSmallDisk(t, 160<<10)
	path := filepath.Join(disk.dir, "ds.h5")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	recs := corpus(40, 24)
	committed, attempted := 0, 0
	var werr error
	for lo := 0; lo < len(recs) && werr == nil; lo += 24 {
		attempted = lo + 24
		if _, werr = s.Add(ctx, recs[lo:lo+24]...); werr == nil {
			if werr = s.Flush(ctx); werr == nil {
				committed = lo + 24
			}
		}
	}
	if werr == nil {
		t.Fatal("the disk never filled up")
	}
	cerr := s.Close()
	if cerr == nil {
		t.Fatalf("Close returned nil after the disk filled up (%v): a command would exit 0", werr)
	}
	t.Logf("disk full after %d committed of %d attempted records: %v; Close: %v", committed, attempted, werr, cerr)
	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("what a full disk left does not open: %v", err)
	}
	got, err := r.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Counts().Records; n != len(got) || n < committed || n > attempted {
		t.Fatalf("on disk: %d records (%d read); want %d to %d", n, len(got), committed, attempted)
	}
	checkUnique(t, got)
	r.Close()

	disk.grow()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err = OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err = r.Records(ctx)
	if err != nil || len(got) != len(recs) {
		t.Fatalf("after the rerun: %d records, %v; want %d", len(got), err, len(recs))
	}
	checkUnique(t, got)
}

// TestCompactionFailsAtClose fills the disk after every record was
// committed: the compaction in Close fails, Close says so, and every
// record is still there.
func TestCompactionFailsAtClose(t *testing.T) {
	ctx := context.Background()
	disk := newSmallDisk(t, 1<<20)
	path := filepath.Join(disk.dir, "ds.h5")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	recs := corpus(10, 24)
	if _, err := s.Add(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	disk.fill()
	if err := s.Close(); err == nil {
		t.Fatal("Close returned nil though its compaction had no room: a command would exit 0")
	} else {
		t.Logf("Close: %v", err)
	}
	disk.grow()
	r, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, err := r.Records(ctx); err != nil || len(got) != len(recs) {
		t.Fatalf("%d records on disk, %v; want all %d committed", len(got), err, len(recs))
	}
}

func checkUnique(t *testing.T, recs []Record) {
	t.Helper()
	seen := map[Key]bool{}
	for i := range recs {
		if seen[recs[i].Key()] {
			t.Fatalf("record %v stored twice", recs[i].Key())
		}
		seen[recs[i].Key()] = true
	}
}
