;; nested.wat — functions exported inside an interface instance, plus a root export.
;;
;;   WIT:
;;     export docs:calc/ops@1.0.0 {   // interface `ops` of package docs:calc@1.0.0
;;       add: func(a: s32, b: s32) -> s32;
;;       mul: func(a: s32, b: s32) -> s32;
;;     }
;;     export version: func() -> string;   // returns "1.0.0"
;;
;; Hosts reach `add` through the instance export "docs:calc/ops@1.0.0" and then
;; its export "add" (e.g. `Component::get_export_index(Some(&ops), "add")`).
;; add/mul wrap modulo 2^32 like i32.add / i32.mul.
(component
  (core module $m
    (memory (export "memory") 1)

    ;; The string bytes of the version, and the 8-byte return area for it.
    (data (i32.const 64) "1.0.0")

    (func (export "add") (param $a i32) (param $b i32) (result i32)
      (i32.add (local.get $a) (local.get $b)))
    (func (export "mul") (param $a i32) (param $b i32) (result i32)
      (i32.mul (local.get $a) (local.get $b)))

    ;; A `string` result flattens to two core values (ptr, len), more than the
    ;; one allowed for results, so the function returns a pointer to:
    ;;   offset 0: i32 ptr  (= 64, where the bytes live)
    ;;   offset 4: i32 len  (= 5)
    (func (export "version") (result i32)
      (i32.store (i32.const 16) (i32.const 64))
      (i32.store offset=4 (i32.const 16) (i32.const 5))
      (i32.const 16))
  )
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))

  (func $add (param "a" s32) (param "b" s32) (result s32)
    (canon lift (core func $i "add")))
  (func $mul (param "a" s32) (param "b" s32) (result s32)
    (canon lift (core func $i "mul")))
  (func $version (result string)
    (canon lift (core func $i "version") (memory $mem) string-encoding=utf8))

  ;; A bag-of-exports instance becomes the interface `docs:calc/ops@1.0.0`.
  (instance $ops
    (export "add" (func $add))
    (export "mul" (func $mul)))
  (export "docs:calc/ops@1.0.0" (instance $ops))
  (export "version" (func $version))
)
