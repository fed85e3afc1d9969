;; Calls an `async func` host import twice at once (both async-lowered), waits for both with a
;; waitable set, and returns the sum of the two results: `run(a, b)` = slow(a) + slow(b).
;; `starts()` tells how many of the two calls were still pending when the guest went on (0, 1
;; or 2), so a test sees whether the host let the guest go on while a call was pending.
;; Needs concurrency support. Its WIT (not in wit/fixtures/, whose tests use a default engine):
;;   world root {
;;     import slow: async func(v: u32) -> u32;
;;     export run: async func(a: u32, b: u32) -> u32;
;;     export starts: func() -> u32;
;;   }
(component
  (import "slow" (func $slow async (param "v" u32) (result u32)))

  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))

  (core module $m
    (import "" "mem" (memory 1))
    (import "" "slow" (func $slow (param i32 i32) (result i32)))
    (import "" "subtask.drop" (func $subtask.drop (param i32)))
    (import "" "waitable.join" (func $waitable.join (param i32 i32)))
    (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
    (import "" "waitable-set.wait" (func $waitable-set.wait (param i32 i32) (result i32)))
    (import "" "waitable-set.drop" (func $waitable-set.drop (param i32)))
    (global $starts (mut i32) (i32.const 0))

    ;; Memory: slow(a)'s result at 0, slow(b)'s at 4, the event's (handle, payload) at 8.
    (func (export "run") (param $a i32) (param $b i32) (result i32)
      (local $ws i32) (local $pending i32)
      (local.set $ws (call $waitable-set.new))
      (local.set $pending (call $track (call $slow (local.get $a) (i32.const 0)) (local.get $ws)))
      (local.set $pending (i32.add (local.get $pending)
        (call $track (call $slow (local.get $b) (i32.const 4)) (local.get $ws))))
      (global.set $starts (local.get $pending))
      (block $done
        (loop $wait
          (br_if $done (i32.eqz (local.get $pending)))
          ;; 1: a subtask's event
          (if (i32.ne (call $waitable-set.wait (local.get $ws) (i32.const 8)) (i32.const 1))
            (then unreachable))
          ;; 2: RETURNED
          (if (i32.eq (i32.load (i32.const 12)) (i32.const 2))
            (then
              (call $subtask.drop (i32.load (i32.const 8)))
              (local.set $pending (i32.sub (local.get $pending) (i32.const 1)))))
          (br $wait)))
      (call $waitable-set.drop (local.get $ws))
      (i32.add (i32.load (i32.const 0)) (i32.load (i32.const 4))))

    ;; 0 if the call returned at once (state 2, RETURNED), else 1 after joining its subtask
    ;; (the handle in the upper bits) to the set.
    (func $track (param $status i32) (param $ws i32) (result i32)
      (if (i32.eq (i32.and (local.get $status) (i32.const 0xf)) (i32.const 2))
        (then (return (i32.const 0))))
      (call $waitable.join (i32.shr_u (local.get $status) (i32.const 4)) (local.get $ws))
      (i32.const 1))

    (func (export "starts") (result i32) (global.get $starts))
  )

  (core func $slow (canon lower (func $slow) async (memory (core memory $mem "mem"))))
  (core func $subtask.drop (canon subtask.drop))
  (core func $waitable.join (canon waitable.join))
  (core func $waitable-set.new (canon waitable-set.new))
  (core func $waitable-set.wait (canon waitable-set.wait (memory (core memory $mem "mem"))))
  (core func $waitable-set.drop (canon waitable-set.drop))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "mem" (memory $mem "mem"))
      (export "slow" (func $slow))
      (export "subtask.drop" (func $subtask.drop))
      (export "waitable.join" (func $waitable.join))
      (export "waitable-set.new" (func $waitable-set.new))
      (export "waitable-set.wait" (func $waitable-set.wait))
      (export "waitable-set.drop" (func $waitable-set.drop))
    ))
  ))

  (func (export "run") async (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "run")))
  (func (export "starts") (result u32)
    (canon lift (core func $i "starts")))
)
