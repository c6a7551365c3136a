// Package hdf5store is an append-only, crash-safe table store whose
// committed state is an ordinary HDF5 file. The dataset collector (conversion
// records) and the feature store (ResNet and handcrafted features) are built
// on it.
//
// # Model
//
// A [Schema] names one or more tables; a table has typed columns ([Float32],
// [Float64], [Int64], [String]), each a scalar (Width 1) or a fixed-width
// vector (Width 2048 for ResNet features). Every [Row] has a unique string
// key. [Table.Append] skips rows whose key is already stored, so re-running an
// interrupted job appends only what is missing: every key is stored exactly
// once. Keys are looked up with [Table.Index]; every scalar string column is
// indexed for [Table.Lookup] (all rows of one image SHA-256, of one parameter
// hash, of one extractor id). Conventions for the two users:
//
//	dataset:       key = image_sha256 + "/" + params_hash; columns image_sha256, params_hash, ...
//	feature store: key = image_sha256 + "/" + extractor_id; columns image_sha256, extractor_id,
//	               features (Float32, 2048), handcrafted (Float32, K)
//
// One process writes ([Open] takes an exclusive flock on PATH.lock; a second
// writer gets [ErrLocked], naming the store). Any number of processes read
// ([OpenReadOnly] takes no lock and opens the files read-only); a reader sees
// the state of the moment it opened and does not follow later appends.
//
// # Files
//
//	PATH          the snapshot: an HDF5 file plus a 32-byte trailer (trailer.go)
//	PATH.journal  rows and attributes appended since that snapshot (journal.go)
//	PATH.lock     the writer's flock; holds its process id; left in place
//	PATH.tmp, PATH.journal.tmp
//	              a snapshot or journal being written; removed by the next writer
//
// After [Store.Close] only PATH (and PATH.lock) remain, and PATH holds every
// row. While a writer runs, or after it was killed, rows since the last
// compaction are in the journal; HDF5 tools then see the snapshot only, while
// [OpenReadOnly] sees both.
//
// # HDF5 layout
//
// The table named "" lives in the root group, any other table in a group of
// its name. Each table is a set of datasets of equal length N, in row order:
//
//	/key            N fixed-length UTF-8 strings: the row keys
//	/COLUMN         N (Width 1) or N × Width: float32 → H5T_IEEE_F32LE, float64 → H5T_IEEE_F64LE,
//	                int64 → H5T_STD_I64LE, string → fixed-length UTF-8, NUL-padded to the
//	                column's longest value (h5py reads them as bytes; .decode() them)
//	/GROUP/key, /GROUP/COLUMN   the same for table GROUP
//
// Every dataset is chunked (about 256 KiB of rows per chunk, unlimited along
// N) and filtered by shuffle (numbers only), deflate (level 4 by default)
// and Fletcher-32. Root-group attributes, all variable-length UTF-8 strings:
// hdf5store_format ("1"), hdf5store_generation (decimal), hdf5store_schema
// (the Schema as JSON), and the user's attributes ([Store.SetAttr]).
// h5dump (1.10) and h5py (3.7) read the file, checked; HDF5 ignores the
// trailer after its end-of-file address. Open it read-only: a tool that
// modifies it breaks the trailer checksum and the store then refuses it.
//
// # Crash safety
//
// Every state on disk after a kill -9 at any instant, or a power loss (given
// a file system that honours fsync and atomic rename), opens with every
// committed row exactly once. A row is committed once [Store.Flush] (or
// Compact or Close) has returned after its Append.
//
//   - Append encodes the row into a journal frame (length, CRC-32C, payload)
//     in a write buffer and then into memory; nothing is durable yet.
//   - Flush writes the buffer and fsyncs the journal: the commit point.
//     A kill mid-write leaves a torn last frame, which fails its length or
//     checksum test; the next open drops it and truncates the journal there.
//   - Compaction (Flush, once the journal outgrows max(Options.CompactBytes,
//     the snapshot's size); Compact; Close) writes every row in memory to
//     PATH.tmp, appends the trailer (generation G+1, length, CRC-32C of the
//     HDF5 bytes), fsyncs, renames it over PATH and fsyncs the directory:
//     the commit point. It then writes an empty journal of generation G+1 to
//     PATH.journal.tmp, fsyncs and renames it over PATH.journal.
//   - Open checks the trailer and checksum before HDF5 reads the file, then
//     compares the journal's generation: equal, replay it; older (killed
//     between the two renames), discard it, since the snapshot holds its
//     rows; newer, refuse with [ErrCorrupt] (only an old copy of the
//     snapshot explains it). Replay skips keys already present, so a row is
//     never doubled.
//   - A frame with a good checksum that does not decode, a bad journal
//     header or a snapshot that fails its checks is not something a crash
//     produces: Open fails with [ErrCorrupt] naming the file and the check
//     rather than dropping rows silently.
//
// The tests kill a writer process with SIGKILL at each hook point of Flush,
// Compact, journal creation and Close, and at random moments, then reopen,
// resume and check every row (crash_test.go); power loss is covered by the
// fsync and rename order above, not by a test.
//
// # Memory and size limits
//
// Every row of every table is held in memory, by writers and readers alike,
// as flat column slices: 4 or 8 bytes per number, string bytes plus about
// 16 bytes of header per string, plus a map entry per key and per distinct
// value of each scalar string column (roughly 100 bytes). A feature row of
// 2048 + 32 float32 values and two hashes takes about 8.5 KiB: 10,000 images
// ≈ 85 MiB, 100,000 ≈ 850 MiB, the practical limit. A conversion record of
// 30 scalar columns takes well under 1 KiB, so a million fit in about 1 GiB.
// String columns pass to and from HDF5 through a 16 MiB buffer; on disk
// they are padded to their longest value, which deflate mostly removes, but
// one long value still slows every read of its column: keep strings to
// hashes, names and short messages. Each compaction
// rewrites the whole file; because it waits for the journal to outgrow the
// snapshot, each row is rewritten a bounded number of times on average.
// Limits enforced: strings and keys up to 64 KiB of UTF-8 without NUL, up to
// 64 tables of 1024 columns, widths up to 2^20, one row's record up to
// 1 GiB; a snapshot table of more than 2^31 rows is refused as implausible.
//
// The C library must be thread-safe (Debian's libhdf5 is built so) when
// several goroutines use stores at once; otherwise calls are serialized.
package hdf5store
