;; wasi-hello.wat — the smallest useful WASI command: writes "hello\n" to stdout and returns.
;; A core module for WASI preview 1; the benchmarks turn it into a component with the preview 1
;; adapter (guest-tool componentize) to measure a command's start-to-exit time.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "hello\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
