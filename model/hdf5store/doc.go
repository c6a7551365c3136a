// Package hdf5store is an append-only, crash-safe table store whose
// committed state is an ordinary HDF5 file. The dataset collector (conversion
// records) and the feature store (ResNet and handcrafted features) are built
// on it. Rows are not held in memory: they are read and written a block at
// a time, so a store of millions of rows takes tens of megabytes.
//
// # Model
//
// A [Schema] names one or more tables; a table has typed columns ([Float32],
// [Float64], [Int64], [String]), each a scalar (Width 1) or a fixed-width
// vector (Width 2048 for ResNet features). Every [Row] has a unique string
// key. [Table.Append] skips rows whose key is already stored, so re-running an
// interrupted job appends only what is missing: every key is stored exactly
// once. [Table.Scan] streams rows in order, a block (about 4 MiB of values)
// at a time, column by column; [Table.Index] and [Table.Get] find a row by
// key, and [Table.Row] reads one by number (through a cached block of 256
// rows, so reading in order is cheap). Conventions for the two users:
//
//	dataset:       key = image_sha256 + "/" + params_hash; columns image_sha256, params_hash, ...
//	feature store: key = image_sha256 (+ "/" + params_hash for simulations); columns image_sha256,
//	               features (Float32, 2048), handcrafted (Float32, K)
//
// One process writes ([Open] takes an exclusive flock on PATH.lock; a second
// writer gets [ErrLocked], naming the store). Any number of processes read
// ([OpenReadOnly] takes no lock and opens the files read-only); a reader sees
// the state of the moment it opened and does not follow later appends.
// [Merge] unites stores of one schema (shards of one job) into a new one,
// each key once; [Repair] salvages what can be read of a damaged store into
// a new one and reports exactly what it could not read.
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
//   - Append encodes the row into a journal frame (magic, length, CRC-32C of
//     the payload, CRC-32C of the header, payload; journal.go) in a write
//     buffer and records its offset; nothing is durable yet.
//   - Flush writes the buffer and fsyncs the journal: the commit point. It
//     then appends a commit frame recording how many bytes that fsync made
//     durable. A kill mid-write leaves a torn tail past the last commit
//     frame, which the next open cuts off. A frame that fails its checks
//     before the offset a commit frame vouches for is damage, not a crash:
//     Open refuses the store with a [*DamageError] naming the file and the
//     byte offset, rather than dropping committed rows; [Repair] salvages.
//   - Compaction (Flush, once the journal outgrows max(Options.CompactBytes,
//     the snapshot's size); Compact; Close) streams every row (the old
//     snapshot's, then the journal's, a block at a time) into PATH.tmp,
//     whose datasets are created at their final length, appends the trailer
//     (generation G+1, length, CRC-32C of the HDF5 bytes), fsyncs, renames
//     it over PATH and fsyncs the directory: the commit point. It then
//     writes an empty journal of generation G+1 to PATH.journal.tmp, fsyncs
//     and renames it over PATH.journal. Row numbers survive compaction.
//   - Open checks the trailer and checksum before HDF5 reads the file, then
//     compares the journal's generation: equal, replay it; older (killed
//     between the two renames), discard it, since the snapshot holds its
//     rows; newer, refuse with [ErrCorrupt] (only an old copy of the
//     snapshot explains it). Append never journals a key twice, so a
//     writer finding a repeated key refuses the store too.
//   - A frame with a good checksum that does not decode, a bad journal
//     header or a snapshot that fails its checks is not something a crash
//     produces: Open fails with [ErrCorrupt] naming the file and the check.
//   - A failed write (a full disk) marks the journal failed: later appends
//     and Close return the error, Close does not compact, and the next Open
//     recovers every committed row. A store is created with its first
//     attributes ([Options.Attrs]) in its first snapshot, so no file
//     exists without them.
//
// The tests kill a writer process with SIGKILL at each hook point of Flush,
// Compact, journal creation and Close, and at random moments, then reopen,
// resume and check every row (crash_test.go); power loss is covered by the
// fsync and rename order above, not by a test.
//
// # Memory and size limits
//
// A store keeps, per table, the offset of every journal row (8 bytes a row
// since the last compaction) and the longest string of each column. A
// table's key index (a 128-bit hash and a row number per key, about 30
// bytes a row; keys.go) is built when it is first needed: Append, Has,
// Index or Get, or a compaction of journal rows no index has checked. Rows pass through blocks of about 4 MiB;
// each open dataset has HDF5's chunk cache (1 MiB). Two million rows
// therefore cost a writer about 60 MB besides its blocks, whatever their
// width; a reader that only scans, nothing per row. Fixed-length strings are padded on disk to the column's longest
// value, which deflate mostly removes, but one long value still slows every
// read of its column: keep strings to hashes, names and short messages.
// Each compaction rewrites the whole file; because it waits for the journal
// to outgrow the snapshot, each row is rewritten a bounded number of times
// on average. Limits enforced: strings and keys up to 64 KiB of UTF-8
// without NUL, up to 64 tables of 1024 columns, widths up to 2^20, one
// row's record up to 1 GiB; a table of more than 2^31 rows is refused.
//
// The C library must be thread-safe (Debian's libhdf5 is built so) when
// several goroutines use stores at once; otherwise calls are serialized.
package hdf5store
