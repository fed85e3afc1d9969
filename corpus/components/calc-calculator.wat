;; calc-calculator.wat — the calculator of issue 10's seed scenario, by hand: exact canonical
;; ABI, no toolchain. Same answers as guests/calculator-c and guests/python-calculator, with any
;; of the adders (calc-adder.wat, the C, core-module or Python one) as its import.
;;
;;   WIT (wit/guests/calc, world calculator):
;;     import docs:calc/adder@0.1.0 {
;;       add: func(a: u32, b: u32) -> u32;
;;       describe: func(a: u32, b: u32) -> string;
;;     }
;;     export docs:calc/calc@0.1.0 {
;;       add-three: func(a: u32, b: u32, c: u32) -> u32;
;;       sum: func(xs: list<u32>) -> u32;
;;       explain: func(a: u32, b: u32) -> string;
;;     }
;;
;; - add-three: add(add(a, b), c), two calls to the import: add-three(1, 2, 3) == 6.
;; - sum: one imported add per element, from 0: sum([]) == 0, sum([1, 2, 3]) == 6.
;; - explain: the imported describe(a, b), returned unchanged: explain(1, 2) == "1 + 2 = 3".
;;
;; Memory: the 8-byte return area of explain (and of the lowered describe) at 16, a bump heap
;; from 1024 for what the host or the adder writes here (the list of sum, describe's string). The
;; heap is reset when nothing in it is live any more: at the end of sum and in explain's
;; post-return, so repeated calls do not grow memory.
(component
  (import "docs:calc/adder@0.1.0" (instance $adder
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
    (export "describe" (func (param "a" u32) (param "b" u32) (result string)))))
  (alias export $adder "add" (func $add))
  (alias export $adder "describe" (func $describe))

  ;; Memory and allocator in their own module: lowering describe needs them before the main
  ;; module (which imports the lowered functions) exists.
  (core module $libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    ;; realloc(old, old_size, align, new_size): bump allocation (align is a power of two);
    ;; copies the old block when there is one.
    (func (export "realloc")
      (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
      (result i32)
      (local $ptr i32)
      (local $end i32)
      (local.set $ptr
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ptr) (local.get $new_size)))
      ;; wrapped around the 32-bit address space: out of memory
      (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))
      (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
        (then
          (if (i32.eq
                (memory.grow
                  (i32.sub
                    (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                    (memory.size)))
                (i32.const -1))
            (then unreachable))))
      (global.set $heap (local.get $end))
      (if (local.get $old)
        (then
          (memory.copy (local.get $ptr) (local.get $old)
            (select (local.get $old_size) (local.get $new_size)
              (i32.lt_u (local.get $old_size) (local.get $new_size))))))
      (local.get $ptr))
    ;; frees everything realloc handed out
    (func (export "reset")
      (global.set $heap (i32.const 1024)))
  )
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  ;; The imports, lowered. add: (a, b) -> a + b; describe: (a, b, return area), the string
  ;; {ptr, len} written there, its bytes allocated here with realloc.
  (core func $add (canon lower (func $add)))
  (core func $describe
    (canon lower (func $describe) (memory $mem) (realloc $realloc) string-encoding=utf8))

  (core module $m
    (import "libc" "memory" (memory 1))
    (import "libc" "reset" (func $reset))
    (import "adder" "add" (func $add (param i32 i32) (result i32)))
    (import "adder" "describe" (func $describe (param i32 i32 i32)))

    (func (export "add-three") (param $a i32) (param $b i32) (param $c i32) (result i32)
      (call $add (call $add (local.get $a) (local.get $b)) (local.get $c)))

    ;; xs: $len u32 values at $ptr (written there by the host through realloc)
    (func (export "sum") (param $ptr i32) (param $len i32) (result i32)
      (local $total i32)
      (local $end i32)
      (local.set $end (i32.add (local.get $ptr) (i32.shl (local.get $len) (i32.const 2))))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
          (local.set $total (call $add (local.get $total) (i32.load (local.get $ptr))))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
          (br $next)))
      (call $reset)
      (local.get $total))

    (func (export "explain") (param $a i32) (param $b i32) (result i32)
      (call $describe (local.get $a) (local.get $b) (i32.const 16))
      (i32.const 16))

    ;; after the caller has read explain's string
    (func (export "explain-post") (param i32)
      (call $reset))
  )
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "adder" (instance
      (export "add" (func $add))
      (export "describe" (func $describe))))))

  (func $add-three (param "a" u32) (param "b" u32) (param "c" u32) (result u32)
    (canon lift (core func $i "add-three")))
  (func $sum (param "xs" (list u32)) (result u32)
    (canon lift (core func $i "sum") (memory $mem) (realloc $realloc)))
  (func $explain (param "a" u32) (param "b" u32) (result string)
    (canon lift (core func $i "explain") (memory $mem) string-encoding=utf8
      (post-return (core func $i "explain-post"))))

  (instance $calc
    (export "add-three" (func $add-three))
    (export "sum" (func $sum))
    (export "explain" (func $explain)))
  (export "docs:calc/calc@0.1.0" (instance $calc))
)
