// A ZIP archive writer (PKWARE APPNOTE 6.3.10): stored entries, no
// compression (SVG text would deflate well, but a batch of logos is small
// and stored entries need nothing but a CRC-32), UTF-8 names.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, reflected, as ZIP and gzip use it) of bytes. */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time, as ZIP headers store them (local time, 2 s steps). */
function dosTime(d) {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * A ZIP archive of files [{name, data: Uint8Array}], as a Blob. Sizes and
 * offsets must fit 32 bits (no ZIP64): plenty for SVGs of logos.
 */
export function zip(files, when = new Date()) {
  const enc = new TextEncoder();
  const {time, date} = dosTime(when);
  const parts = [];
  const central = [];
  let offset = 0;
  for (const f of files) {
    const name = enc.encode(f.name);
    const crc = crc32(f.data);
    // Fields shared by the local header (from "version needed") and the central directory entry.
    const common = (v) => {
      v.u16(20); v.u16(0x0800); v.u16(0); v.u16(time); v.u16(date); // version 2.0, UTF-8 names, stored
      v.u32(crc); v.u32(f.data.length); v.u32(f.data.length); v.u16(name.length); v.u16(0);
    };
    parts.push(record(30, (v) => { v.u32(0x04034b50); common(v); }), name, f.data);
    central.push(record(46, (v) => {
      v.u32(0x02014b50); v.u16(0x0314); common(v); // made by: UNIX, 2.0
      v.u16(0); v.u16(0); v.u16(0); v.u32(0o100644 << 16); v.u32(offset); // comment, disk, attributes, offset
    }), name);
    offset += 30 + name.length + f.data.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = record(22, (v) => {
    v.u32(0x06054b50); v.u16(0); v.u16(0); v.u16(files.length); v.u16(files.length);
    v.u32(size); v.u32(offset); v.u16(0);
  });
  return new Blob([...parts, ...central, end], {type: 'application/zip'});
}

/** A little-endian record of n bytes written by fill. */
function record(n, fill) {
  const buf = new Uint8Array(n);
  const view = new DataView(buf.buffer);
  let at = 0;
  fill({
    u16: (x) => { view.setUint16(at, x, true); at += 2; },
    u32: (x) => { view.setUint32(at, x, true); at += 4; },
  });
  if (at !== n) throw new Error(`zip: record of ${at} bytes, want ${n}`);
  return buf;
}
