;; add.wat — the smallest useful component: one root export.
;;
;;   WIT:  export add: func(a: u32, b: u32) -> u32;
;;
;; Both params and the result are single core i32 values, so no linear memory
;; or canonical options are needed. The README demo runs
;;   --invoke 'add(1, 2)'   =>  3
;; Addition wraps modulo 2^32 (i32.add), e.g. add(4294967295, 1) == 0.
(component
  (core module $m
    (func (export "add") (param $a i32) (param $b i32) (result i32)
      (i32.add (local.get $a) (local.get $b))))
  (core instance $i (instantiate $m))

  (func $add (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (export "add" (func $add))
)
