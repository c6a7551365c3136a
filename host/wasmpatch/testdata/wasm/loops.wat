;; loops: for the stop check instrument puts at the start of every loop body.
;; spin never returns unless stopped; sum and nested must compute the same
;; with and without the checks (sum's loop takes and returns a value, so the
;; check must leave the loop's parameters alone).
;; (The checks need a memory to grow by nothing, hence the unused one.)
(module
  (memory 0)
  (func (export "spin") (result i32)
    (loop $l (br $l))
    (i32.const 0))

  ;; sum(n) = 1 + 2 + ... + n
  (func (export "sum") (param $n i32) (result i32)
    (i32.const 0)
    (loop $l (param i32) (result i32)
      (i32.add (local.get $n))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))

  ;; nested(n) = n * n iterations of the inner loop
  (func (export "nested") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $k i32)
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $inner_done
          (loop $inner
            (br_if $inner_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $inner)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $k))
)
