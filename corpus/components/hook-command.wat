;; hook-command.wat — a wasi:cli/command that calls back into the host while it holds a host
;; object: the test of a host function that closes its store in the middle of a command.
;;
;;   WIT:
;;     import docs:hook/host@1.0.0 {
;;       resource thing { read: func() -> u32; }
;;       make: func() -> thing;
;;       poke: func();
;;     }
;;     export wasi:cli/run@0.2.0 { run: func() -> result; }
;;
;; run: makes a thing, calls poke, then reads the thing (and traps unless it reads 42), drops
;; it, and returns ok. No memory: every value is a number or a handle.
(component
  (import "docs:hook/host@1.0.0" (instance $host
    (export "thing" (type $t (sub resource)))
    (export "make" (func (result (own $t))))
    (export "poke" (func))
    (export "[method]thing.read" (func (param "self" (borrow $t)) (result u32)))))
  (alias export $host "thing" (type $thing))
  (alias export $host "make" (func $make))
  (alias export $host "poke" (func $poke))
  (alias export $host "[method]thing.read" (func $read))
  (core func $make-lowered (canon lower (func $make)))
  (core func $poke-lowered (canon lower (func $poke)))
  (core func $read-lowered (canon lower (func $read)))
  (core func $drop (canon resource.drop $thing))
  (core module $m
    (import "host" "make" (func $make (result i32)))
    (import "host" "poke" (func $poke))
    (import "host" "read" (func $read (param i32) (result i32)))
    (import "host" "drop" (func $drop (param i32)))
    (func (export "run") (result i32)
      (local $h i32)
      (local.set $h (call $make))
      (call $poke)
      (if (i32.ne (call $read (local.get $h)) (i32.const 42)) (then unreachable))
      (call $drop (local.get $h))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "host" (instance
      (export "make" (func $make-lowered))
      (export "poke" (func $poke-lowered))
      (export "read" (func $read-lowered))
      (export "drop" (func $drop))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance)))
