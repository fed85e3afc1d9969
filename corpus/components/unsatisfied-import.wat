;; unsatisfied-import.wat — a component that needs two host imports.
;;
;;   WIT:
;;     import docs:log/logger@1.0.0 {   // interface `logger` of package docs:log@1.0.0
;;       log: func(msg: string);
;;     }
;;     import get-value: func() -> u32;
;;     export run: func() -> u32;
;;
;; `run` calls log("run called") and then returns get-value().
;; Instantiating it with an empty Linker must fail with a link error that names
;; the missing import (first "docs:log/logger@1.0.0", or "get-value" once the
;; logger is defined). With both defined, `run` works.
(component
  (import "docs:log/logger@1.0.0" (instance $logger
    (export "log" (func (param "msg" string)))))
  (import "get-value" (func $get-value (result u32)))

  ;; Lowering `log` needs the guest memory (the host reads the string bytes
  ;; from it), but the main module needs the lowered function as an import.
  ;; A separate module that only defines the memory breaks that cycle.
  (core module $libc
    (memory (export "memory") 1))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))

  ;; log(msg: string) lowers to (ptr: i32, len: i32) -> ()
  (core func $log (canon lower (func $logger "log") (memory $mem) string-encoding=utf8))
  ;; get-value() lowers to () -> i32
  (core func $get-value (canon lower (func $get-value)))

  (core module $m
    (import "libc" "memory" (memory 1))
    (import "host" "log" (func $log (param i32 i32)))
    (import "host" "get-value" (func $get-value (result i32)))

    (data (i32.const 64) "run called")

    (func (export "run") (result i32)
      (call $log (i32.const 64) (i32.const 10))
      (call $get-value))
  )
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "log" (func $log))
      (export "get-value" (func $get-value))))))

  (func $run (result u32) (canon lift (core func $i "run")))
  (export "run" (func $run))
)
