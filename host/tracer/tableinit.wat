;; tableinit: fills a wasm-bindgen module's externref table the way the
;; JavaScript glue's __wbindgen_init_externref_table does (vtracer.js):
;;
;;   const offset = table.grow(4);
;;   table.set(0, undefined);
;;   table.set(offset + 0, undefined);
;;   table.set(offset + 1, null);
;;   table.set(offset + 2, true);
;;   table.set(offset + 3, false);
;;
;; wazero has no host API for tables, so the host instantiates this module
;; against each VTracer instance (import module "vtracer") and calls init with
;; the host's handles for the four constants.
;;
;; next lets the host find the handles the module still holds after a call
;; (it keeps some across calls, e.g. interned strings), so that it can free
;; the rest; size lets tests check that the table does not grow from one
;; conversion to the next.
;;
;; Regenerate tableinit.wasm with `go generate` (wat2wasm from Debian's wabt).
(module
  (import "vtracer" "__wbindgen_export_2" (table $t 0 externref))
  (func (export "init")
    (param $undefined externref) (param $null externref)
    (param $true externref) (param $false externref)
    (local $off i32)
    (local.set $off (table.grow $t (ref.null extern) (i32.const 4)))
    (table.set $t (i32.const 0) (local.get $undefined))
    (table.set $t (local.get $off) (local.get $undefined))
    (table.set $t (i32.add (local.get $off) (i32.const 1)) (local.get $null))
    (table.set $t (i32.add (local.get $off) (i32.const 2)) (local.get $true))
    (table.set $t (i32.add (local.get $off) (i32.const 3)) (local.get $false)))
  (func (export "size") (result i32)
    (table.size $t))
  ;; next returns the first index j >= i whose entry is not null, and that
  ;; entry; j is -1 when there is none.
  (func (export "next") (param $i i32) (result i32 externref)
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $i) (table.size $t)))
        (if (i32.eqz (ref.is_null (table.get $t (local.get $i))))
          (then (return (local.get $i) (table.get $t (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (i32.const -1)
    (ref.null extern)))
