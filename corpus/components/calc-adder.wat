;; calc-adder.wat — the adder of issue 10's seed scenario, by hand: exact canonical ABI, no
;; toolchain. Same answers as guests/adder-c, guests/adder-core and guests/python-adder.
;;
;;   WIT (wit/guests/calc, world adder-world):
;;     export docs:calc/adder@0.1.0 {
;;       add: func(a: u32, b: u32) -> u32;
;;       describe: func(a: u32, b: u32) -> string;
;;     }
;;
;; - add: a + b, wrapping modulo 2^32 (i32.add): add(1, 2) == 3, add(4294967295, 1) == 0.
;; - describe: "<a> + <b> = <add(a, b)>" in decimal: describe(1, 2) == "1 + 2 = 3".
;;
;; Memory: the 8-byte return area {ptr, len} of describe at 0, its text at 16 (at most 36
;; bytes). Both are static and rewritten by every call; the caller copies the string out before
;; the next call, so there is no allocator and no post-return. It imports nothing.
(component
  (core module $m
    (memory (export "memory") 1)

    ;; Writes n in decimal at $at, returns the address after the last digit.
    (func $decimal (param $n i32) (param $at i32) (result i32)
      (local $digits i32)
      (local $t i32)
      (local $end i32)
      ;; count the digits
      (local.set $t (local.get $n))
      (loop $count
        (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
        (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
        (br_if $count (local.get $t)))
      (local.set $end (i32.add (local.get $at) (local.get $digits)))
      ;; write them from the last one back
      (local.set $t (local.get $end))
      (loop $write
        (local.set $t (i32.sub (local.get $t) (i32.const 1)))
        (i32.store8 (local.get $t)
          (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
        (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
        (br_if $write (i32.gt_u (local.get $t) (local.get $at))))
      (local.get $end))

    ;; Writes " <op> " (space, op, space) at $at, returns the address after it.
    (func $sep (param $op i32) (param $at i32) (result i32)
      (i32.store8 (local.get $at) (i32.const 32))
      (i32.store8 offset=1 (local.get $at) (local.get $op))
      (i32.store8 offset=2 (local.get $at) (i32.const 32))
      (i32.add (local.get $at) (i32.const 3)))

    (func (export "add") (param $a i32) (param $b i32) (result i32)
      (i32.add (local.get $a) (local.get $b)))

    (func (export "describe") (param $a i32) (param $b i32) (result i32)
      (local $at i32)
      (local.set $at (call $decimal (local.get $a) (i32.const 16)))
      (local.set $at (call $sep (i32.const 43) (local.get $at)))      ;; " + "
      (local.set $at (call $decimal (local.get $b) (local.get $at)))
      (local.set $at (call $sep (i32.const 61) (local.get $at)))      ;; " = "
      (local.set $at (call $decimal (i32.add (local.get $a) (local.get $b)) (local.get $at)))
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.sub (local.get $at) (i32.const 16)))
      (i32.const 0))
  )
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))

  (func $add (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func $describe (param "a" u32) (param "b" u32) (result string)
    (canon lift (core func $i "describe") (memory $mem) string-encoding=utf8))

  (instance $adder
    (export "add" (func $add))
    (export "describe" (func $describe)))
  (export "docs:calc/adder@0.1.0" (instance $adder))
)
