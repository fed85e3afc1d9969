;; Issue 13: imports whose results are WIT results, for typed host bindings that answer `err`
;; with a checked exception, and a root import. `divide` and `check` pass the host's answer
;; through unchanged; `divide` first tells the root import `note` its dividend.
(component
  (import "note" (func $note (param "v" u32)))
  (import "docs:results/host@1.0.0" (instance $host
    (export "divide" (func (param "a" u32) (param "b" u32) (result (result u32 (error u32)))))
    (export "check" (func (param "v" u32) (result (result))))))
  (core module $Mem (memory (export "memory") 1))
  (core instance $mem (instantiate $Mem))
  (alias core export $mem "memory" (core memory $memory))
  (alias export $host "divide" (func $divide))
  (alias export $host "check" (func $check))
  (core func $note-lowered (canon lower (func $note)))
  (core func $divide-lowered (canon lower (func $divide) (memory $memory)))
  (core func $check-lowered (canon lower (func $check)))
  (core module $M
    (import "host" "note" (func $note (param i32)))
    (import "host" "divide" (func $divide (param i32 i32 i32)))
    (import "host" "check" (func $check (param i32) (result i32)))
    (func (export "divide") (param i32 i32) (result i32)
      (call $note (local.get 0))
      (call $divide (local.get 0) (local.get 1) (i32.const 16))
      (i32.const 16))
    (func (export "check") (param i32) (result i32)
      (call $check (local.get 0))))
  (core instance $i (instantiate $M
    (with "host" (instance
      (export "note" (func $note-lowered))
      (export "divide" (func $divide-lowered))
      (export "check" (func $check-lowered))))))
  (func (export "divide") (param "a" u32) (param "b" u32) (result (result u32 (error u32)))
    (canon lift (core func $i "divide") (memory $memory)))
  (func (export "check") (param "v" u32) (result (result))
    (canon lift (core func $i "check"))))
