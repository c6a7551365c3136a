package hdf5store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The crash tests run a writer in a child process (this test binary run
// again with crashEnv set, which makes TestCrashChild the writer) and kill
// it with SIGKILL: at an exact hook point of Flush, Compact, journal
// creation or Close, or at a random moment. The child prints
// "committed N" after each Flush that returned, so the parent knows which
// rows must have survived.
const (
	crashEnv   = "HDF5STORE_CRASH_CHILD" // "hook" or "run"
	crashPath  = "HDF5STORE_CRASH_PATH"
	crashPoint = "HDF5STORE_CRASH_POINT"
	crashHit   = "HDF5STORE_CRASH_HIT"
	crashTotal = "HDF5STORE_CRASH_TOTAL"
)

// crashJob is what the child writes, and what the parent checks: rows
// k00000... of allKinds in batches, one quarantine row per batch, a Flush
// after each batch, an explicit Compact after the second, Close at the end.
type crashJob struct {
	total, batch int
	opts         Options
}

func (j crashJob) rows() []Row        { return rowsFor(allKinds().Tables[0], "k", 0, j.total) }
func (j crashJob) qkey(lo int) string { return fmt.Sprintf("q%05d", lo) }

// run is the writer; it resumes whatever an earlier run left.
func (j crashJob) run(ctx context.Context, path string, out io.Writer) error {
	s, err := Open(ctx, path, allKinds(), &j.opts)
	if err != nil {
		return err
	}
	if err := s.SetAttr("job", "crash test"); err != nil {
		return err
	}
	tb, err := s.Table("")
	if err != nil {
		return err
	}
	q, err := s.Table("quarantine")
	if err != nil {
		return err
	}
	rows := j.rows()
	for lo, nb := 0, 0; lo < j.total; lo, nb = lo+j.batch, nb+1 {
		hi := min(lo+j.batch, j.total)
		if _, err := tb.Append(ctx, rows[lo:hi]...); err != nil {
			return err
		}
		if _, err := q.Append(ctx, Row{Key: j.qkey(lo), Values: map[string]any{"reason": "batch " + strconv.Itoa(nb)}}); err != nil {
			return err
		}
		if err := s.Flush(ctx); err != nil {
			return err
		}
		fmt.Fprintf(out, "committed %d\n", hi)
		if nb == 1 {
			if err := s.Compact(ctx); err != nil {
				return err
			}
		}
	}
	return s.Close()
}

// TestCrashChild is the child's body; it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	mode := os.Getenv(crashEnv)
	if mode == "" {
		t.Skip("only runs as the child of the crash tests")
	}
	total, _ := strconv.Atoi(os.Getenv(crashTotal))
	job := crashJob{total: total, batch: 10, opts: Options{CompactBytes: 16 << 10}}
	if mode == "hook" {
		point := os.Getenv(crashPoint)
		want, _ := strconv.Atoi(os.Getenv(crashHit))
		hits := 0
		job.opts.hook = func(p string) {
			if p == point {
				if hits++; hits == want {
					syscall.Kill(os.Getpid(), syscall.SIGKILL)
					select {} // never returns
				}
			}
		}
	}
	if err := job.run(context.Background(), os.Getenv(crashPath), os.Stdout); err != nil {
		fmt.Fprintln(os.Stdout, "error", err)
		os.Exit(3)
	}
	fmt.Fprintln(os.Stdout, "done")
}

func childCmd(t *testing.T, env ...string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	return cmd
}

// committed returns the last "committed N" in the child's output.
func committed(t *testing.T, out string) int {
	t.Helper()
	n := 0
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "committed "); ok {
			n, _ = strconv.Atoi(rest)
		}
		if strings.HasPrefix(line, "error ") {
			t.Fatalf("child failed: %s", line)
		}
	}
	return n
}

func killedBySIGKILL(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// checkCrashed checks what a killed writer left at path: a reader and then
// a writer open it, and each table holds a prefix of the job's rows,
// exactly once, at least the first committed of them. It returns the
// number of rows found.
func checkCrashed(t *testing.T, job crashJob, path string, committed int) int {
	t.Helper()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if committed > 0 {
			t.Fatalf("store missing after %d rows were committed", committed)
		}
		return 0 // killed while creating the store
	}
	h5dumpCheck(t, "-H", path) // the snapshot alone is a clean HDF5 file
	all := keysOf(job.rows())
	check := func(s *Store) int {
		t.Helper()
		tb := mustTable(t, s, "")
		n := tb.Len()
		if n < committed || n > job.total {
			t.Fatalf("%d rows after the crash; %d were committed, %d written in all", n, committed, job.total)
		}
		checkRows(t, tb, all[:n])
		q := mustTable(t, s, "quarantine")
		for i, k := range scanKeys(t, q) {
			if k != job.qkey(i*job.batch) {
				t.Fatalf("quarantine row %d is %q, want %q", i, k, job.qkey(i*job.batch))
			}
		}
		return n
	}
	r, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatalf("reader after the crash: %v", err)
	}
	n := check(r)
	r.Close()
	w := mustOpen(t, path, allKinds(), nil)
	if got := check(w); got != n {
		t.Fatalf("writer sees %d rows, reader %d", got, n)
	}
	abandon(w) // leave the files as they are
	return n
}

// checkFinished checks a store after a run that completed: every row once,
// no journal or temporary file left.
func checkFinished(t *testing.T, job crashJob, path string) {
	t.Helper()
	r := mustReader(t, path)
	checkRows(t, mustTable(t, r, ""), keysOf(job.rows()))
	if got, want := mustTable(t, r, "quarantine").Len(), (job.total+job.batch-1)/job.batch; got != want {
		t.Fatalf("quarantine has %d rows, want %d", got, want)
	}
	if v, _ := r.Attr("job"); v != "crash test" {
		t.Fatalf("attribute job = %q", v)
	}
	for _, p := range []string{journalPath(path), journalTmpPath(path), snapshotTmpPath(path)} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left after Close: %v", filepath.Base(p), err)
		}
	}
}

// TestCrashAtHooks kills the writer at every hook point of Flush, Compact,
// journal creation and Close (at its first and a later occurrence), then
// checks the store and resumes the job in this process.
func TestCrashAtHooks(t *testing.T) {
	job := crashJob{total: 300, batch: 10, opts: Options{CompactBytes: 16 << 10}}
	// Hit 1 of the snapshot and journal points is the store's creation,
	// hit 2 the explicit Compact, hit 3 the automatic compaction in a Flush
	// (the journal outgrows the snapshot after about 230 rows), hit 4 the
	// compaction in Close. compact:done is not reached at creation.
	cases := []struct {
		point string
		hits  []int
	}{
		{"compact:written", []int{1, 2, 3, 4}},
		{"compact:sealed", []int{1, 2, 3, 4}},
		{"compact:renamed", []int{1, 2, 3, 4}},
		{"journal:written", []int{1, 2, 3, 4}},
		{"compact:done", []int{1, 2, 3}},
		{"flush:synced", []int{1, 2, 17}},
		{"close:compacted", []int{1}},
	}
	for _, c := range cases {
		for _, hit := range c.hits {
			t.Run(fmt.Sprintf("%s#%d", c.point, hit), func(t *testing.T) {
				path := storePath(t)
				cmd := childCmd(t, crashEnv+"=hook", crashPath+"="+path, crashPoint+"="+c.point,
					crashHit+"="+strconv.Itoa(hit), crashTotal+"="+strconv.Itoa(job.total))
				out, err := cmd.Output()
				if !killedBySIGKILL(err) {
					t.Fatalf("child was not killed at %s #%d: %v\n%s", c.point, hit, err, out)
				}
				n := checkCrashed(t, job, path, committed(t, string(out)))
				t.Logf("killed after %d committed rows; recovered %d", committed(t, string(out)), n)
				if err := job.run(context.Background(), path, io.Discard); err != nil {
					t.Fatalf("resume: %v", err)
				}
				checkFinished(t, job, path)
			})
		}
	}
}

// TestCrashKill9 kills a writer process at random moments while it appends,
// flushes and compacts, as `kill -9` would; meanwhile it checks that a
// second writer is refused and that readers see a consistent prefix. Each
// rerun resumes; the last one finishes, and every row is there once.
func TestCrashKill9(t *testing.T) {
	job := crashJob{total: 1500, batch: 10}
	kills := 4
	if testing.Short() {
		kills = 2
	}
	path := storePath(t)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	env := []string{crashEnv + "=run", crashPath + "=" + path, crashTotal + "=" + strconv.Itoa(job.total)}
	for i := 0; i < kills; i++ {
		cmd := childCmd(t, env...)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill once this run has committed a little more than the last.
		target := (i*job.total)/kills + rng.IntN(job.total/kills)
		last, sawLock, reads := 0, false, 0
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "error ") {
				t.Fatalf("child failed: %s", line)
			}
			rest, ok := strings.CutPrefix(line, "committed ")
			if !ok {
				continue
			}
			last, _ = strconv.Atoi(rest)
			if !sawLock {
				_, err := Open(context.Background(), path, allKinds(), nil)
				if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) ||
					!strings.Contains(err.Error(), "process "+strconv.Itoa(cmd.Process.Pid)) {
					t.Fatalf("second writer while the child writes: %v, want ErrLocked naming the store and the child", err)
				}
				sawLock = true
			}
			if reads < 3 && rng.IntN(20) == 0 { // a reader beside the writer
				r := mustReader(t, path)
				if n := mustTable(t, r, "").Len(); n < last {
					t.Fatalf("reader sees %d rows, %d committed", n, last)
				}
				r.Close()
				reads++
			}
			if last >= target {
				time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
				break
			}
		}
		cmd.Process.Kill() // SIGKILL
		go io.Copy(io.Discard, stdout)
		err = cmd.Wait()
		if !killedBySIGKILL(err) {
			t.Fatalf("run %d: child ended before the kill: %v", i, err)
		}
		n := checkCrashed(t, job, path, last)
		t.Logf("run %d: killed after %d committed rows; store holds %d", i, last, n)
	}
	out, err := childCmd(t, env...).Output()
	if err != nil || !strings.Contains(string(out), "done") {
		t.Fatalf("final run: %v\n%s", err, out)
	}
	checkFinished(t, job, path)
}
