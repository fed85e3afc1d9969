;; traps.wat — every way a guest call can fail at run time.
;;
;;   WIT:
;;     export unreachable: func();
;;     export divide: func(a: s32, b: s32) -> s32;   // traps when b = 0 (also s32 min / -1)
;;     export oob-load: func() -> u32;               // loads past the end of linear memory
;;     export recurse: func(n: u32) -> u32;          // unbounded recursion -> stack overflow
;;     export spin: func();                          // infinite loop: for fuel / epoch interruption
;;     export ok: func() -> u32;                     // returns 42; after any trap above the
;;                                                   // instance is poisoned and this traps too
;;
;; No function passes anything through memory, so no canonical options are used;
;; the module still has a 1-page (64 KiB) memory so that `oob-load` is a genuine
;; out-of-bounds memory access rather than a validation error.
(component
  (core module $m
    (memory 1)

    (func (export "unreachable")
      unreachable)

    (func (export "divide") (param $a i32) (param $b i32) (result i32)
      (i32.div_s (local.get $a) (local.get $b)))

    ;; Address 65536 is exactly one byte past the end of the 1-page memory.
    (func (export "oob-load") (result i32)
      (i32.load (i32.const 65536)))

    ;; recurse(n) = recurse(n + 1) + 1, never terminates; the `+ 1` after the
    ;; call keeps it from being a tail call, so every level takes stack space.
    (func $recurse (export "recurse") (param $n i32) (result i32)
      (i32.add
        (call $recurse (i32.add (local.get $n) (i32.const 1)))
        (i32.const 1)))

    (func (export "spin")
      (loop $forever
        (br $forever)))

    (func (export "ok") (result i32)
      (i32.const 42))
  )
  (core instance $i (instantiate $m))

  (func $unreachable (canon lift (core func $i "unreachable")))
  (func $divide (param "a" s32) (param "b" s32) (result s32)
    (canon lift (core func $i "divide")))
  (func $oob-load (result u32) (canon lift (core func $i "oob-load")))
  (func $recurse (param "n" u32) (result u32) (canon lift (core func $i "recurse")))
  (func $spin (canon lift (core func $i "spin")))
  (func $ok (result u32) (canon lift (core func $i "ok")))

  (export "unreachable" (func $unreachable))
  (export "divide" (func $divide))
  (export "oob-load" (func $oob-load))
  (export "recurse" (func $recurse))
  (export "spin" (func $spin))
  (export "ok" (func $ok))
)
