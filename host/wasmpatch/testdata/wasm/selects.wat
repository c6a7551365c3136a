;; selects: the forms of select that instrument must find and rewrite (f32
;; and f64, untyped and typed, with operand types known only from a block's
;; parameters, in dead code) and the ones it must leave alone (integers).
;; TestInstrumentKeepsMeaning runs every export of the original module in
;; wazero's interpreter and of the instrumented one compiled, and compares.
(module
  (memory 0)
  (type $ff_f (func (param f64 f64) (result f64)))
  (global $g (mut f32) (f32.const 1.5))
  (table $t 1 funcref)
  (elem (i32.const 0) $pick)

  (func $pick (param f64 f64) (result f64)
    (select (local.get 0) (local.get 1) (f64.lt (local.get 0) (local.get 1))))

  (func (export "f64") (param $c i32) (param $x f64) (param $y f64) (result f64)
    (select (local.get $x) (f64.neg (local.get $y)) (local.get $c)))

  (func (export "f32") (param $c i32) (param $x f64) (param $y f64) (result f64)
    (f64.promote_f32
      (select (global.get $g) (f32.demote_f64 (local.get $x)) (local.get $c))))

  (func (export "typed") (param $c i32) (param $x f64) (param $y f64) (result f64)
    (select (result f64) (local.get $x) (f64.const 2.25) (local.get $c)))

  (func (export "int") (param $c i32) (param $x f64) (param $y f64) (result f64)
    (f64.convert_i64_s
      (select (i64.trunc_sat_f64_s (local.get $x)) (i64.const 7) (local.get $c))))

  ;; The select's operands come in as the block's parameters, and the block
  ;; sits in a loop and an if; the result also goes through call_indirect.
  (func (export "nested") (param $c i32) (param $x f64) (param $y f64) (result f64)
    (local $i i32) (local $acc f64)
    (loop $l
      (if (i32.lt_u (local.get $i) (i32.const 5))
        (then
          (local.set $acc
            (f64.add (local.get $acc)
              (local.get $x) (local.get $y)
              (block (param f64 f64) (result f64)
                (select (i32.and (local.get $i) (local.get $c))))))
          (local.set $acc
            (call_indirect (type $ff_f) (local.get $acc) (local.get $y) (i32.const 0)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l))))
    (local.get $acc))

  ;; Selects in unreachable code: one with an operand of unknown type.
  (func (export "dead") (param $c i32) (param $x f64) (param $y f64) (result f64)
    (block $b (result f64)
      (br_if $b (local.get $x) (local.get $c))
      (br $b (local.get $y))
      f64.const 1
      i32.const 0
      select
      local.tee $x))
)
