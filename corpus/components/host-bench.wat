;; host-bench.wat — a guest that calls host functions in a loop, to measure the cost of a call
;; from the guest into the host (the JMH suite and the native bench both use it).
;;
;;   WIT:
;;     import noop: func();
;;     import add2: func(a: u32, b: u32) -> u32;
;;     import take-string: func(s: string) -> u32;
;;     export call-noop: func(n: u32);
;;     export call-add: func(n: u32) -> u32;
;;     export call-string: func(n: u32, s: string) -> u32;
;;
;; call-noop calls noop() n times; call-add calls add2(i, 1) n times and returns the last result;
;; call-string passes its string argument to take-string n times and returns the sum of the
;; results (the host returns the string's length).
(component
  (import "noop" (func $noop))
  (import "add2" (func $add2 (param "a" u32) (param "b" u32) (result u32)))
  (import "take-string" (func $take-string (param "s" string) (result u32)))

  ;; Memory and a bump allocator (the canonical ABI's realloc for the string argument of
  ;; call-string) live in their own module so the lowered imports can refer to the memory.
  (core module $libc
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $ptr i32)
      ;; align up, then bump; grow memory when needed
      (local.set $ptr
        (i32.and
          (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
          (i32.xor (i32.sub (local.get 2) (i32.const 1)) (i32.const -1))))
      (global.set $next (i32.add (local.get $ptr) (local.get 3)))
      (block $ok
        (br_if $ok (i32.le_u (global.get $next) (i32.mul (memory.size) (i32.const 65536))))
        (drop (memory.grow
          (i32.add (i32.shr_u (i32.sub (global.get $next) (i32.mul (memory.size) (i32.const 65536)))
                              (i32.const 16))
                   (i32.const 1)))))
      (local.get $ptr))
    ;; Reset the bump pointer between calls so memory stays flat.
    (func (export "reset") (global.set $next (i32.const 1024))))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  (core func $noop-lowered (canon lower (func $noop)))
  (core func $add2-lowered (canon lower (func $add2)))
  (core func $take-lowered (canon lower (func $take-string) (memory $mem) string-encoding=utf8))

  (core module $m
    (import "libc" "reset" (func $reset))
    (import "host" "noop" (func $noop))
    (import "host" "add2" (func $add2 (param i32 i32) (result i32)))
    (import "host" "take-string" (func $take (param i32 i32) (result i32)))

    (func (export "call-noop") (param $n i32)
      (block $done
        (loop $again
          (br_if $done (i32.eqz (local.get $n)))
          (call $noop)
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $again))))

    (func (export "call-add") (param $n i32) (result i32)
      (local $i i32) (local $last i32)
      (block $done
        (loop $again
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $last (call $add2 (local.get $i) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $again)))
      (local.get $last))

    (func (export "call-string") (param $n i32) (param $ptr i32) (param $len i32) (result i32)
      (local $sum i32)
      (block $done
        (loop $again
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $sum (i32.add (local.get $sum) (call $take (local.get $ptr) (local.get $len))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $again)))
      (call $reset)
      (local.get $sum)))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "noop" (func $noop-lowered))
      (export "add2" (func $add2-lowered))
      (export "take-string" (func $take-lowered))))))

  (func (export "call-noop") (param "n" u32) (canon lift (core func $i "call-noop")))
  (func (export "call-add") (param "n" u32) (result u32) (canon lift (core func $i "call-add")))
  (func (export "call-string") (param "n" u32) (param "s" string) (result u32)
    (canon lift (core func $i "call-string") (memory $mem) (realloc $realloc) string-encoding=utf8))
)
