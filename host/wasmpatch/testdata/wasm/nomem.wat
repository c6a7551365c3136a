;; nomem: a loop in a module without memory, which instrument's loop check
;; cannot exit through (it grows memory 0 by nothing), so it refuses it.
(module
  (func (export "f") (loop (br 0))))
