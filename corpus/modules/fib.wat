;; Compute kernels for the benchmarks: an iterative Fibonacci (wrapping i64) and a sum loop.
(module
  (func (export "fib") (param $n i64) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $a))
  (func (export "sum") (param $n i64) (result i64)
    (local $s i64)
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $s (i64.add (local.get $s) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $s))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
