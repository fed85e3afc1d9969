;; echo.wat — one root export per WIT value kind; each returns its argument unchanged.
;;
;; WIT (see wit/fixtures/echo.wit):
;;   record point { x: s32, y: s32 }
;;   record person { first-name: string, age: u8, tags: list<string> }
;;   variant shape { circle(f64), rect(point), none-shape }
;;   enum color { red, green, blue }
;;   flags perms { read, write, exec }
;;   flags big-flags { f0, f1, ..., f31 }     // 32 = the most a flags type may have
;;
;;   echo-bool: func(v: bool) -> bool            echo-s8 .. echo-u64, echo-f32, echo-f64, echo-char
;;   echo-string: func(v: string) -> string      echo-list-u8: func(v: list<u8>) -> list<u8>
;;   echo-list-u32, echo-list-string, echo-list-list (list<list<u32>>), echo-list-record (list<point>)
;;   echo-fixed-list: func(v: list<u32, 4>) -> list<u32, 4>
;;   echo-map: func(v: map<string, u32>) -> map<string, u32>
;;   echo-record (point), echo-person, echo-tuple (tuple<u32, string, f64>), echo-variant (shape),
;;   echo-enum (color), echo-option (option<u32>), echo-option-option (option<option<string>>),
;;   echo-result (result<u32, string>), echo-result-empty (result), echo-flags (perms),
;;   echo-flags-big (big-flags)
;;   echo-many: func(p0: u32, ..., p16: u32) -> u64   // 17 params: returns their sum
;;   noop: func()
;;
;; Loading needs `Config::wasm_component_model_map(true)` (echo-map) and
;; `Config::wasm_component_model_fixed_length_lists(true)` (echo-fixed-list).
;; The six named types are type imports with an `eq` bound (see "named types"
;; below); an empty Linker instantiates this component, nothing to define.
;;
;; ---------------------------------------------------------------------------
;; How the echoes work (canonical ABI)
;; ---------------------------------------------------------------------------
;; * A type that flattens to ONE core value (bool, ints, floats, char, enum,
;;   flags, `result` without payloads) comes in as that value and is returned
;;   as is: the shared core functions echo-i32 / echo-i64 / echo-f32 / echo-f64.
;;   Floats are returned bit-for-bit, so NaN payloads survive.
;; * A result that flattens to MORE than one core value is returned as an i32
;;   pointer to the value stored in linear memory in its canonical memory
;;   layout. All such results are written to one static, 8-aligned return area
;;   at address RET = 16 (the host reads it before the next call).
;; * Strings and lists come in as (ptr, len) pointing at memory the host
;;   allocated with `cabi_realloc`. Echoing them just hands the same (ptr, len)
;;   back: the host then lifts the very bytes it lowered (including nested
;;   strings/lists, which are likewise pointers into this memory).
;; * `cabi_realloc` is a bump allocator from HEAP = 1024 up, growing memory as
;;   needed. Each lift that uses memory has a post-return function (`reset`)
;;   that rewinds the bump pointer to 1024 once the host has read the result,
;;   so memory does not grow across calls.
;; * More than 16 flat params (echo-many) are passed as ONE i32 pointer to a
;;   tuple the host stored in memory it got from `cabi_realloc`.
(component
  (core module $m
    (memory (export "memory") 1)

    ;; bump pointer of cabi_realloc; rewound to 1024 by the post-return functions
    (global $heap (mut i32) (i32.const 1024))

    ;; cabi_realloc(old_ptr, old_size, align, new_size) -> ptr
    (func (export "cabi_realloc")
      (param $old_ptr i32) (param $old_size i32) (param $align i32) (param $new_size i32)
      (result i32)
      (local $ptr i32)
      (local $end i64)
      (local $have i64)
      ;; ptr = heap rounded up to `align` (a power of two)
      (local.set $ptr
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      ;; end = ptr + new_size, in i64 so it cannot wrap
      (local.set $end
        (i64.add (i64.extend_i32_u (local.get $ptr)) (i64.extend_i32_u (local.get $new_size))))
      (local.set $have (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
      (if (i64.gt_u (local.get $end) (local.get $have))
        (then
          ;; grow by ceil((end - have) / 64 KiB) pages; out of memory -> trap
          (if (i32.eq
                (memory.grow
                  (i32.wrap_i64
                    (i64.shr_u
                      (i64.add (i64.sub (local.get $end) (local.get $have)) (i64.const 0xffff))
                      (i64.const 16))))
                (i32.const -1))
            (then unreachable))))
      (global.set $heap (i32.wrap_i64 (local.get $end)))
      ;; a real reallocation keeps the old contents
      (if (local.get $old_ptr)
        (then
          (memory.copy
            (local.get $ptr)
            (local.get $old_ptr)
            (select (local.get $old_size) (local.get $new_size)
              (i32.lt_u (local.get $old_size) (local.get $new_size))))))
      (local.get $ptr))

    ;; post-return functions: take the flat results, rewind the allocator
    (func (export "reset") (param i32)
      (global.set $heap (i32.const 1024)))
    (func (export "reset-i64") (param i64)
      (global.set $heap (i32.const 1024)))

    ;; ---- one flat value in, the same value out ----
    (func (export "echo-i32") (param i32) (result i32) (local.get 0))
    (func (export "echo-i64") (param i64) (result i64) (local.get 0))
    (func (export "echo-f32") (param f32) (result f32) (local.get 0))
    (func (export "echo-f64") (param f64) (result f64) (local.get 0))

    ;; ---- string / list<T> / map<K, V>: (ptr, len) ----
    ;; memory layout of the result (size 8, align 4):
    ;;   RET+0: i32 ptr
    ;;   RET+4: i32 len (bytes for a string; elements for a list or map)
    (func (export "echo-ptr-len") (param $ptr i32) (param $len i32) (result i32)
      (i32.store offset=0 (i32.const 16) (local.get $ptr))
      (i32.store offset=4 (i32.const 16) (local.get $len))
      (i32.const 16))

    ;; ---- list<u32, 4>: flattens to 4 x i32 ----
    ;; memory layout (size 16, align 4): RET+0, +4, +8, +12: the four u32s
    (func (export "echo-fixed-list") (param $a i32) (param $b i32) (param $c i32) (param $d i32)
      (result i32)
      (i32.store offset=0 (i32.const 16) (local.get $a))
      (i32.store offset=4 (i32.const 16) (local.get $b))
      (i32.store offset=8 (i32.const 16) (local.get $c))
      (i32.store offset=12 (i32.const 16) (local.get $d))
      (i32.const 16))

    ;; ---- record point { x: s32, y: s32 }: flattens to (i32 x, i32 y) ----
    ;; memory layout (size 8, align 4): RET+0: x, RET+4: y
    (func (export "echo-record") (param $x i32) (param $y i32) (result i32)
      (i32.store offset=0 (i32.const 16) (local.get $x))
      (i32.store offset=4 (i32.const 16) (local.get $y))
      (i32.const 16))

    ;; ---- record person { first-name: string, age: u8, tags: list<string> } ----
    ;; flat: (name_ptr, name_len, age, tags_ptr, tags_len), all i32
    ;; memory layout (size 20, align 4):
    ;;   RET+0:  i32 first-name ptr     RET+4:  i32 first-name len
    ;;   RET+8:  u8  age                RET+9..11: padding
    ;;   RET+12: i32 tags ptr           RET+16: i32 tags len
    (func (export "echo-person")
      (param $name_ptr i32) (param $name_len i32) (param $age i32)
      (param $tags_ptr i32) (param $tags_len i32)
      (result i32)
      (i32.store offset=0 (i32.const 16) (local.get $name_ptr))
      (i32.store offset=4 (i32.const 16) (local.get $name_len))
      (i32.store8 offset=8 (i32.const 16) (local.get $age))
      (i32.store offset=12 (i32.const 16) (local.get $tags_ptr))
      (i32.store offset=16 (i32.const 16) (local.get $tags_len))
      (i32.const 16))

    ;; ---- tuple<u32, string, f64> ----
    ;; flat: (i32 a, i32 str_ptr, i32 str_len, f64 c)
    ;; memory layout (size 24, align 8):
    ;;   RET+0: u32   RET+4: string ptr   RET+8: string len
    ;;   RET+12..15: padding              RET+16: f64
    (func (export "echo-tuple") (param $a i32) (param $ptr i32) (param $len i32) (param $c f64)
      (result i32)
      (i32.store offset=0 (i32.const 16) (local.get $a))
      (i32.store offset=4 (i32.const 16) (local.get $ptr))
      (i32.store offset=8 (i32.const 16) (local.get $len))
      (f64.store offset=16 (i32.const 16) (local.get $c))
      (i32.const 16))

    ;; ---- variant shape { circle(f64), rect(point), none-shape } ----
    ;; flat: (i32 discriminant, i64 slot0, i32 slot1)
    ;;   slot0 joins circle's f64 with rect's x (i32) -> i64:
    ;;     circle: the f64's bits (f64 -> i64 reinterpret)
    ;;     rect:   x, zero-extended to i64;  slot1 = y
    ;; memory layout (size 16, align 8):
    ;;   RET+0: u8 discriminant (0 circle, 1 rect, 2 none-shape)
    ;;   RET+8: payload, at the max payload alignment (8):
    ;;     circle: f64 at RET+8
    ;;     rect:   x at RET+8, y at RET+12
    (func (export "echo-variant") (param $disc i32) (param $slot0 i64) (param $slot1 i32)
      (result i32)
      (i32.store8 offset=0 (i32.const 16) (local.get $disc))
      (block $done
        (block $rect
          (block $circle
            (br_table $circle $rect $done (local.get $disc)))
          ;; circle: storing the i64 bits stores the f64 exactly
          (i64.store offset=8 (i32.const 16) (local.get $slot0))
          (br $done))
        ;; rect
        (i32.store offset=8 (i32.const 16) (i32.wrap_i64 (local.get $slot0)))
        (i32.store offset=12 (i32.const 16) (local.get $slot1)))
      (i32.const 16))

    ;; ---- option<u32> ----
    ;; flat: (i32 discriminant, i32 value)
    ;; memory layout (size 8, align 4): RET+0: u8 discriminant (0 none, 1 some), RET+4: u32
    (func (export "echo-option") (param $disc i32) (param $value i32) (result i32)
      (i32.store8 offset=0 (i32.const 16) (local.get $disc))
      (i32.store offset=4 (i32.const 16) (local.get $value))
      (i32.const 16))

    ;; ---- option<option<string>> ----
    ;; flat: (i32 outer_disc, i32 inner_disc, i32 ptr, i32 len)
    ;; memory layout (size 16, align 4):
    ;;   RET+0:  u8 outer discriminant (0 none, 1 some)
    ;;   RET+4:  u8 inner discriminant (0 none, 1 some)   <- option<string> at +4
    ;;   RET+8:  i32 string ptr
    ;;   RET+12: i32 string len
    (func (export "echo-option-option")
      (param $outer i32) (param $inner i32) (param $ptr i32) (param $len i32)
      (result i32)
      (i32.store8 offset=0 (i32.const 16) (local.get $outer))
      (i32.store8 offset=4 (i32.const 16) (local.get $inner))
      (i32.store offset=8 (i32.const 16) (local.get $ptr))
      (i32.store offset=12 (i32.const 16) (local.get $len))
      (i32.const 16))

    ;; ---- result<u32, string> ----
    ;; flat: (i32 discriminant, i32 slot0, i32 slot1)
    ;;   ok:    slot0 = the u32
    ;;   error: slot0 = string ptr, slot1 = string len
    ;; memory layout (size 12, align 4):
    ;;   RET+0: u8 discriminant (0 ok, 1 error)
    ;;   RET+4: ok: u32 | error: string ptr
    ;;   RET+8: error: string len
    (func (export "echo-result") (param $disc i32) (param $slot0 i32) (param $slot1 i32)
      (result i32)
      (i32.store8 offset=0 (i32.const 16) (local.get $disc))
      (i32.store offset=4 (i32.const 16) (local.get $slot0))
      (i32.store offset=8 (i32.const 16) (local.get $slot1))
      (i32.const 16))

    ;; ---- 17 x u32 -> u64 sum ----
    ;; 17 flat params > 16, so the host stores the params as a tuple of 17 u32
    ;; (size 68, align 4) in memory from cabi_realloc and passes its address.
    ;; The u64 result is one flat value, returned directly.
    (func (export "echo-many") (param $args i32) (result i64)
      (local $i i32)
      (local $sum i64)
      (loop $next
        (local.set $sum
          (i64.add
            (local.get $sum)
            (i64.load32_u
              (i32.add (local.get $args) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 17))))
      (local.get $sum))

    (func (export "noop"))
  )
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "cabi_realloc" (core func $realloc))
  (alias core export $i "reset" (core func $reset))
  (alias core export $i "reset-i64" (core func $reset-i64))

  ;; ---- named types ----
  ;; Each named type is a type import with an `eq` bound: the component fixes
  ;; the definition itself, so a host never has to supply anything for these
  ;; imports. This is how wit-component encodes types defined at world level,
  ;; and it is what gives them their names in WIT. (Exporting them at the root,
  ;; `(export "point" (type ...))`, validates too, but `wasm-tools component wit`
  ;; then fails: "component export `point` was not a function or instance".)
  ;; Function types below refer to the imported indices ($point, not $point').
  (type $point' (record (field "x" s32) (field "y" s32)))
  (import "point" (type $point (eq $point')))
  (type $person' (record
    (field "first-name" string)
    (field "age" u8)
    (field "tags" (list string))))
  (import "person" (type $person (eq $person')))
  (type $shape' (variant
    (case "circle" f64)
    (case "rect" $point)
    (case "none-shape")))
  (import "shape" (type $shape (eq $shape')))
  (type $color' (enum "red" "green" "blue"))
  (import "color" (type $color (eq $color')))
  (type $perms' (flags "read" "write" "exec"))
  (import "perms" (type $perms (eq $perms')))
  ;; The canonical ABI allows at most 32 members in a flags type
  ;; (wasmparser: "cannot have more than 32 flags"), so "big" is 32: all bits of an i32.
  (type $big-flags' (flags
    "f0" "f1" "f2" "f3" "f4" "f5" "f6" "f7" "f8" "f9" "f10" "f11" "f12" "f13" "f14" "f15"
    "f16" "f17" "f18" "f19" "f20" "f21" "f22" "f23" "f24" "f25" "f26" "f27" "f28" "f29" "f30" "f31"))
  (import "big-flags" (type $big-flags (eq $big-flags')))

  ;; ---- scalars: no canonical options needed ----
  (func $echo-bool (param "v" bool) (result bool) (canon lift (core func $i "echo-i32")))
  (func $echo-s8 (param "v" s8) (result s8) (canon lift (core func $i "echo-i32")))
  (func $echo-u8 (param "v" u8) (result u8) (canon lift (core func $i "echo-i32")))
  (func $echo-s16 (param "v" s16) (result s16) (canon lift (core func $i "echo-i32")))
  (func $echo-u16 (param "v" u16) (result u16) (canon lift (core func $i "echo-i32")))
  (func $echo-s32 (param "v" s32) (result s32) (canon lift (core func $i "echo-i32")))
  (func $echo-u32 (param "v" u32) (result u32) (canon lift (core func $i "echo-i32")))
  (func $echo-s64 (param "v" s64) (result s64) (canon lift (core func $i "echo-i64")))
  (func $echo-u64 (param "v" u64) (result u64) (canon lift (core func $i "echo-i64")))
  (func $echo-f32 (param "v" f32) (result f32) (canon lift (core func $i "echo-f32")))
  (func $echo-f64 (param "v" f64) (result f64) (canon lift (core func $i "echo-f64")))
  (func $echo-char (param "v" char) (result char) (canon lift (core func $i "echo-i32")))
  (func $echo-enum (param "v" $color) (result $color) (canon lift (core func $i "echo-i32")))
  (func $echo-flags (param "v" $perms) (result $perms) (canon lift (core func $i "echo-i32")))
  (func $echo-flags-big (param "v" $big-flags) (result $big-flags)
    (canon lift (core func $i "echo-i32")))
  ;; `result` with no payloads is just a discriminant: one i32
  (func $echo-result-empty (param "v" (result)) (result (result))
    (canon lift (core func $i "echo-i32")))
  (func $noop (canon lift (core func $i "noop")))

  ;; ---- (ptr, len) values: memory + realloc (the host lowers params via cabi_realloc) ----
  (func $echo-string (param "v" string) (result string)
    (canon lift (core func $i "echo-ptr-len")
      (memory $mem) (realloc $realloc) string-encoding=utf8 (post-return $reset)))
  (func $echo-list-u8 (param "v" (list u8)) (result (list u8))
    (canon lift (core func $i "echo-ptr-len")
      (memory $mem) (realloc $realloc) (post-return $reset)))
  (func $echo-list-u32 (param "v" (list u32)) (result (list u32))
    (canon lift (core func $i "echo-ptr-len")
      (memory $mem) (realloc $realloc) (post-return $reset)))
  (func $echo-list-string (param "v" (list string)) (result (list string))
    (canon lift (core func $i "echo-ptr-len")
      (memory $mem) (realloc $realloc) string-encoding=utf8 (post-return $reset)))
  (func $echo-list-list (param "v" (list (list u32))) (result (list (list u32)))
    (canon lift (core func $i "echo-ptr-len")
      (memory $mem) (realloc $realloc) (post-return $reset)))
  (func $echo-list-record (param "v" (list $point)) (result (list $point))
    (canon lift (core func $i "echo-ptr-len")
      (memory $mem) (realloc $realloc) (post-return $reset)))
  ;; map<K, V> has the canonical layout of list<tuple<K, V>>
  (func $echo-map (param "v" (map string u32)) (result (map string u32))
    (canon lift (core func $i "echo-ptr-len")
      (memory $mem) (realloc $realloc) string-encoding=utf8 (post-return $reset)))

  ;; ---- multi-value results through the return area ----
  (func $echo-fixed-list (param "v" (list u32 4)) (result (list u32 4))
    (canon lift (core func $i "echo-fixed-list") (memory $mem) (post-return $reset)))
  (func $echo-record (param "v" $point) (result $point)
    (canon lift (core func $i "echo-record") (memory $mem) (post-return $reset)))
  (func $echo-person (param "v" $person) (result $person)
    (canon lift (core func $i "echo-person")
      (memory $mem) (realloc $realloc) string-encoding=utf8 (post-return $reset)))
  (func $echo-tuple (param "v" (tuple u32 string f64)) (result (tuple u32 string f64))
    (canon lift (core func $i "echo-tuple")
      (memory $mem) (realloc $realloc) string-encoding=utf8 (post-return $reset)))
  (func $echo-variant (param "v" $shape) (result $shape)
    (canon lift (core func $i "echo-variant") (memory $mem) (post-return $reset)))
  (func $echo-option (param "v" (option u32)) (result (option u32))
    (canon lift (core func $i "echo-option") (memory $mem) (post-return $reset)))
  (func $echo-option-option (param "v" (option (option string))) (result (option (option string)))
    (canon lift (core func $i "echo-option-option")
      (memory $mem) (realloc $realloc) string-encoding=utf8 (post-return $reset)))
  (func $echo-result (param "v" (result u32 (error string))) (result (result u32 (error string)))
    (canon lift (core func $i "echo-result")
      (memory $mem) (realloc $realloc) string-encoding=utf8 (post-return $reset)))

  ;; ---- 17 flat params: passed through memory ----
  (func $echo-many
    (param "p0" u32) (param "p1" u32) (param "p2" u32) (param "p3" u32)
    (param "p4" u32) (param "p5" u32) (param "p6" u32) (param "p7" u32)
    (param "p8" u32) (param "p9" u32) (param "p10" u32) (param "p11" u32)
    (param "p12" u32) (param "p13" u32) (param "p14" u32) (param "p15" u32)
    (param "p16" u32)
    (result u64)
    (canon lift (core func $i "echo-many")
      (memory $mem) (realloc $realloc) (post-return $reset-i64)))

  (export "echo-bool" (func $echo-bool))
  (export "echo-s8" (func $echo-s8))
  (export "echo-u8" (func $echo-u8))
  (export "echo-s16" (func $echo-s16))
  (export "echo-u16" (func $echo-u16))
  (export "echo-s32" (func $echo-s32))
  (export "echo-u32" (func $echo-u32))
  (export "echo-s64" (func $echo-s64))
  (export "echo-u64" (func $echo-u64))
  (export "echo-f32" (func $echo-f32))
  (export "echo-f64" (func $echo-f64))
  (export "echo-char" (func $echo-char))
  (export "echo-string" (func $echo-string))
  (export "echo-list-u8" (func $echo-list-u8))
  (export "echo-list-u32" (func $echo-list-u32))
  (export "echo-list-string" (func $echo-list-string))
  (export "echo-list-list" (func $echo-list-list))
  (export "echo-fixed-list" (func $echo-fixed-list))
  (export "echo-map" (func $echo-map))
  (export "echo-record" (func $echo-record))
  (export "echo-person" (func $echo-person))
  (export "echo-tuple" (func $echo-tuple))
  (export "echo-variant" (func $echo-variant))
  (export "echo-enum" (func $echo-enum))
  (export "echo-option" (func $echo-option))
  (export "echo-option-option" (func $echo-option-option))
  (export "echo-result" (func $echo-result))
  (export "echo-result-empty" (func $echo-result-empty))
  (export "echo-flags" (func $echo-flags))
  (export "echo-flags-big" (func $echo-flags-big))
  (export "echo-list-record" (func $echo-list-record))
  (export "echo-many" (func $echo-many))
  (export "noop" (func $noop))
)
