;; kv-host.wat — a component that uses a resource the HOST defines.
;;
;;   WIT:
;;     import docs:kv/store@1.0.0 {
;;       resource bucket {
;;         constructor(name: string);
;;         get: func(key: string) -> option<string>;
;;         set: func(key: string, value: string);
;;       }
;;       open: func(name: string) -> bucket;
;;     }
;;     export docs:kv/app@1.0.0 {
;;       use store.{bucket};
;;       roundtrip: func(key: string, value: string) -> option<string>;
;;       keep: func(name: string) -> bucket;
;;       read: func(b: borrow<bucket>, key: string) -> option<string>;
;;       put-and-drop: func(b: bucket, key: string, value: string);
;;       churn: func(n: u32) -> u32;
;;     }
;;
;; - roundtrip: constructs a bucket named "roundtrip", sets key = value, gets
;;   key, drops the bucket (its owned handle: the host destructor runs before
;;   roundtrip returns) and returns what get returned.
;; - keep: open(name) and return the bucket: ownership goes to the host.
;; - read: calls get on a bucket the host lends (borrow), then drops the
;;   borrowed handle (a borrow must be dropped before the call returns; that
;;   does not run the destructor).
;; - put-and-drop: takes ownership of a host bucket, sets key = value, drops it
;;   (the host destructor runs).
;; - churn: n times constructs a bucket named "churn" and drops it; returns n.
;;
;; Memory: static data below 1024 (strings at 32 and 48, the 12-byte
;; option<string> return area at 16), a bump heap from 1024 for strings the host
;; writes (realloc). The heap is reset when no pointer into it is live any more:
;; in the post-return of roundtrip and read, and at the end of keep and
;; put-and-drop, so repeated calls do not grow memory.
(component
  (import "docs:kv/store@1.0.0" (instance $store
    (export "bucket" (type $b (sub resource)))
    (export "[constructor]bucket" (func (param "name" string) (result (own $b))))
    (export "[method]bucket.get"
      (func (param "self" (borrow $b)) (param "key" string) (result (option string))))
    (export "[method]bucket.set"
      (func (param "self" (borrow $b)) (param "key" string) (param "value" string)))
    (export "open" (func (param "name" string) (result (own $b))))))
  (alias export $store "bucket" (type $bucket))
  (alias export $store "[constructor]bucket" (func $ctor))
  (alias export $store "[method]bucket.get" (func $get))
  (alias export $store "[method]bucket.set" (func $set))
  (alias export $store "open" (func $open))

  ;; Memory and allocator, in their own module: lowering the imports needs them
  ;; before the main module (which imports the lowered functions) exists.
  (core module $libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    ;; realloc(old, old_size, align, new_size): bump allocation (align is a
    ;; power of two); copies the old block when there is one.
    (func (export "realloc")
      (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
      (result i32)
      (local $ptr i32)
      (local $end i32)
      (local.set $ptr
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ptr) (local.get $new_size)))
      ;; wrapped around the 32-bit address space: out of memory
      (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))
      (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
        (then
          (if (i32.eq
                (memory.grow
                  (i32.sub
                    (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                    (memory.size)))
                (i32.const -1))
            (then unreachable))))
      (global.set $heap (local.get $end))
      (if (local.get $old)
        (then
          (memory.copy (local.get $ptr) (local.get $old)
            (select (local.get $old_size) (local.get $new_size)
              (i32.lt_u (local.get $old_size) (local.get $new_size))))))
      (local.get $ptr))
    ;; frees everything realloc handed out
    (func (export "reset")
      (global.set $heap (i32.const 1024)))
  )
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  ;; The imports, lowered. ctor/open: (name ptr, len) -> own handle;
  ;; get: (self, key ptr, len, return area) with option<string> written there
  ;; as {u8 discriminant, pad, i32 ptr, i32 len}; set: (self, key ptr, len,
  ;; value ptr, len).
  (core func $ctor (canon lower (func $ctor) (memory $mem) string-encoding=utf8))
  (core func $open (canon lower (func $open) (memory $mem) string-encoding=utf8))
  (core func $get (canon lower (func $get) (memory $mem) (realloc $realloc) string-encoding=utf8))
  (core func $set (canon lower (func $set) (memory $mem) string-encoding=utf8))
  (core func $drop (canon resource.drop $bucket))

  (core module $main
    (import "libc" "memory" (memory 1))
    (import "libc" "reset" (func $reset))
    (import "kv" "ctor" (func $ctor (param i32 i32) (result i32)))
    (import "kv" "open" (func $open (param i32 i32) (result i32)))
    (import "kv" "get" (func $get (param i32 i32 i32 i32)))
    (import "kv" "set" (func $set (param i32 i32 i32 i32 i32)))
    (import "kv" "drop" (func $drop (param i32)))

    (data (i32.const 32) "roundtrip")
    (data (i32.const 48) "churn")

    ;; roundtrip(key, value) -> pointer to option<string> at 16
    (func (export "roundtrip")
      (param $kp i32) (param $kl i32) (param $vp i32) (param $vl i32) (result i32)
      (local $h i32)
      (local.set $h (call $ctor (i32.const 32) (i32.const 9)))
      (call $set (local.get $h) (local.get $kp) (local.get $kl) (local.get $vp) (local.get $vl))
      (call $get (local.get $h) (local.get $kp) (local.get $kl) (i32.const 16))
      (call $drop (local.get $h))
      (i32.const 16))

    ;; post-return of roundtrip and read: the host has read the result
    (func (export "post-return") (param i32)
      (call $reset))

    ;; keep(name) -> own handle, moved to the host when lifted
    (func (export "keep") (param $np i32) (param $nl i32) (result i32)
      (local $h i32)
      (local.set $h (call $open (local.get $np) (local.get $nl)))
      (call $reset)
      (local.get $h))

    ;; read(borrowed handle, key) -> pointer to option<string> at 16
    (func (export "read") (param $b i32) (param $kp i32) (param $kl i32) (result i32)
      (call $get (local.get $b) (local.get $kp) (local.get $kl) (i32.const 16))
      ;; end the borrow (required before returning; no destructor runs)
      (call $drop (local.get $b))
      (i32.const 16))

    ;; put-and-drop(owned handle, key, value)
    (func (export "put-and-drop")
      (param $h i32) (param $kp i32) (param $kl i32) (param $vp i32) (param $vl i32)
      (call $set (local.get $h) (local.get $kp) (local.get $kl) (local.get $vp) (local.get $vl))
      (call $drop (local.get $h))
      (call $reset))

    ;; churn(n) -> n, after n constructor calls each followed by a drop
    (func (export "churn") (param $n i32) (result i32)
      (local $i i32)
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (call $drop (call $ctor (i32.const 48) (i32.const 5)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (local.get $n))
  )
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "kv" (instance
      (export "ctor" (func $ctor))
      (export "open" (func $open))
      (export "get" (func $get))
      (export "set" (func $set))
      (export "drop" (func $drop))))))

  (alias core export $main "post-return" (core func $post-return))
  (func $roundtrip (param "key" string) (param "value" string) (result (option string))
    (canon lift (core func $main "roundtrip") (memory $mem) (realloc $realloc)
      string-encoding=utf8 (post-return $post-return)))
  (func $keep (param "name" string) (result (own $bucket))
    (canon lift (core func $main "keep") (memory $mem) (realloc $realloc) string-encoding=utf8))
  (func $read (param "b" (borrow $bucket)) (param "key" string) (result (option string))
    (canon lift (core func $main "read") (memory $mem) (realloc $realloc)
      string-encoding=utf8 (post-return $post-return)))
  (func $put-and-drop (param "b" (own $bucket)) (param "key" string) (param "value" string)
    (canon lift (core func $main "put-and-drop") (memory $mem) (realloc $realloc)
      string-encoding=utf8))
  (func $churn (param "n" u32) (result u32)
    (canon lift (core func $main "churn")))

  ;; The interface instance. A small component re-exports the functions with
  ;; types that refer to `bucket` under the name the instance exports it as,
  ;; which is how the exported interface `use`s the imported type in WIT.
  (component $app
    (import "import-type-bucket" (type $b (sub resource)))
    (import "import-func-roundtrip"
      (func $roundtrip (param "key" string) (param "value" string) (result (option string))))
    (import "import-func-keep" (func $keep (param "name" string) (result (own $b))))
    (import "import-func-read"
      (func $read (param "b" (borrow $b)) (param "key" string) (result (option string))))
    (import "import-func-put-and-drop"
      (func $put-and-drop (param "b" (own $b)) (param "key" string) (param "value" string)))
    (import "import-func-churn" (func $churn (param "n" u32) (result u32)))

    (export $bucket "bucket" (type $b))
    (export "roundtrip" (func $roundtrip)
      (func (param "key" string) (param "value" string) (result (option string))))
    (export "keep" (func $keep)
      (func (param "name" string) (result (own $bucket))))
    (export "read" (func $read)
      (func (param "b" (borrow $bucket)) (param "key" string) (result (option string))))
    (export "put-and-drop" (func $put-and-drop)
      (func (param "b" (own $bucket)) (param "key" string) (param "value" string)))
    (export "churn" (func $churn)
      (func (param "n" u32) (result u32)))
  )
  (instance $app-instance (instantiate $app
    (with "import-type-bucket" (type $bucket))
    (with "import-func-roundtrip" (func $roundtrip))
    (with "import-func-keep" (func $keep))
    (with "import-func-read" (func $read))
    (with "import-func-put-and-drop" (func $put-and-drop))
    (with "import-func-churn" (func $churn))))
  (export "docs:kv/app@1.0.0" (instance $app-instance))
)
