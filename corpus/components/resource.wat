;; resource.wat — a resource defined by the guest and exported in an interface.
;;
;;   WIT:
;;     export docs:counter/api@1.0.0 {
;;       resource counter {
;;         constructor(start: u32);
;;         increment: func() -> u32;          // adds 1, returns the new value
;;         get: func() -> u32;
;;         zero: static func() -> counter;    // a new counter starting at 0
;;       }
;;       live-count: func() -> u32;           // counters alive (constructed, not yet destroyed)
;;       sum: func(a: borrow<counter>, b: borrow<counter>) -> u32;
;;       consume: func(c: counter) -> u32;    // takes ownership, returns the value, drops it
;;     }
;;
;; live-count goes up in the constructor / `zero` and down in the resource's
;; destructor, so a host can observe that dropping its `own<counter>` handle
;; (ResourceAny::resource_drop) or passing it to `consume` ran the destructor.
;; increment wraps modulo 2^32.
;;
;; Representation: each counter is a 4-byte cell in linear memory holding its
;; u32 value; the resource's `rep` is the cell's address. Destroyed cells go on
;; a free list and are reused, so creating and dropping counters in a loop does
;; not grow memory.
;;
;; Borrows of a resource that this component itself defines are lifted as the
;; `rep` directly (the cell address), so methods and `sum` get addresses, not
;; handles. `consume` gets an `own` handle: it reads the rep with resource.rep
;; and then calls resource.drop, which runs the destructor.
(component
  ;; --- State: memory, cell allocator, live count and the destructor. ---
  ;; Kept in its own module because the resource type needs the destructor
  ;; before the canon built-ins (resource.new, ...) for the main module exist.
  (core module $state
    (memory (export "memory") 1)
    ;; number of counters alive
    (global $live (mut i32) (i32.const 0))
    ;; next never-used cell (cells are 4 bytes, from address 16 up)
    (global $next (mut i32) (i32.const 16))
    ;; head of the free list of destroyed cells (0 = empty); a free cell holds
    ;; the address of the next free cell
    (global $free (mut i32) (i32.const 0))

    ;; alloc(value) -> cell address, counts one more live counter
    (func (export "alloc") (param $value i32) (result i32)
      (local $cell i32)
      (if (global.get $free)
        (then
          (local.set $cell (global.get $free))
          (global.set $free (i32.load (local.get $cell))))
        (else
          (local.set $cell (global.get $next))
          (global.set $next (i32.add (local.get $cell) (i32.const 4)))
          ;; grow memory one page when the new cell would not fit
          (if (i32.gt_u
                (global.get $next)
                (i32.mul (memory.size) (i32.const 65536)))
            (then
              (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1))
                (then unreachable))))))
      (i32.store (local.get $cell) (local.get $value))
      (global.set $live (i32.add (global.get $live) (i32.const 1)))
      (local.get $cell))

    ;; the destructor: called with the rep when the last owning handle is dropped
    (func (export "dtor") (param $cell i32)
      (i32.store (local.get $cell) (global.get $free))
      (global.set $free (local.get $cell))
      (global.set $live (i32.sub (global.get $live) (i32.const 1))))

    (func (export "live-count") (result i32)
      (global.get $live))
  )
  (core instance $state (instantiate $state))

  ;; --- The resource type, with its destructor. ---
  (type $counter (resource (rep i32) (dtor (core func $state "dtor"))))
  (core func $resource.new (canon resource.new $counter))
  (core func $resource.rep (canon resource.rep $counter))
  (core func $resource.drop (canon resource.drop $counter))

  ;; --- Implementation of the interface functions. ---
  (core module $main
    (import "state" "memory" (memory 1))
    (import "state" "alloc" (func $alloc (param i32) (result i32)))
    (import "canon" "resource.new" (func $resource.new (param i32) (result i32)))
    (import "canon" "resource.rep" (func $resource.rep (param i32) (result i32)))
    (import "canon" "resource.drop" (func $resource.drop (param i32)))

    ;; constructor(start) -> own handle (index in this component's handle table,
    ;; moved to the caller when the result is lifted)
    (func (export "constructor") (param $start i32) (result i32)
      (call $resource.new (call $alloc (local.get $start))))

    ;; [method]counter.increment(self: borrow<counter>): self arrives as the rep
    (func (export "increment") (param $cell i32) (result i32)
      (local $value i32)
      (local.set $value (i32.add (i32.load (local.get $cell)) (i32.const 1)))
      (i32.store (local.get $cell) (local.get $value))
      (local.get $value))

    (func (export "get") (param $cell i32) (result i32)
      (i32.load (local.get $cell)))

    (func (export "zero") (result i32)
      (call $resource.new (call $alloc (i32.const 0))))

    ;; both borrows arrive as reps
    (func (export "sum") (param $a i32) (param $b i32) (result i32)
      (i32.add (i32.load (local.get $a)) (i32.load (local.get $b))))

    ;; an own<counter> param arrives as a handle now owned by this component
    (func (export "consume") (param $handle i32) (result i32)
      (local $value i32)
      (local.set $value (i32.load (call $resource.rep (local.get $handle))))
      ;; the last owner drops it: runs the destructor (live count - 1)
      (call $resource.drop (local.get $handle))
      (local.get $value))
  )
  (core instance $main (instantiate $main
    (with "state" (instance $state))
    (with "canon" (instance
      (export "resource.new" (func $resource.new))
      (export "resource.rep" (func $resource.rep))
      (export "resource.drop" (func $resource.drop))))))

  ;; --- Lifted functions (over the local resource type). ---
  (func $ctor (param "start" u32) (result (own $counter))
    (canon lift (core func $main "constructor")))
  (func $increment (param "self" (borrow $counter)) (result u32)
    (canon lift (core func $main "increment")))
  (func $get (param "self" (borrow $counter)) (result u32)
    (canon lift (core func $main "get")))
  (func $zero (result (own $counter))
    (canon lift (core func $main "zero")))
  (func $live-count (result u32)
    (canon lift (core func $state "live-count")))
  (func $sum (param "a" (borrow $counter)) (param "b" (borrow $counter)) (result u32)
    (canon lift (core func $main "sum")))
  (func $consume (param "c" (own $counter)) (result u32)
    (canon lift (core func $main "consume")))

  ;; --- The interface instance. ---
  ;; A small component re-exports the resource type under the name "counter"
  ;; and the functions with types that refer to that exported name, which is
  ;; how the resource gets its name (and method names their owner) in WIT.
  (component $api
    (import "import-type-counter" (type $c (sub resource)))
    (import "import-constructor-counter" (func $ctor (param "start" u32) (result (own $c))))
    (import "import-method-counter-increment" (func $increment (param "self" (borrow $c)) (result u32)))
    (import "import-method-counter-get" (func $get (param "self" (borrow $c)) (result u32)))
    (import "import-static-counter-zero" (func $zero (result (own $c))))
    (import "import-func-live-count" (func $live-count (result u32)))
    (import "import-func-sum" (func $sum (param "a" (borrow $c)) (param "b" (borrow $c)) (result u32)))
    (import "import-func-consume" (func $consume (param "c" (own $c)) (result u32)))

    (export $counter "counter" (type $c))
    (export "[constructor]counter" (func $ctor)
      (func (param "start" u32) (result (own $counter))))
    (export "[method]counter.increment" (func $increment)
      (func (param "self" (borrow $counter)) (result u32)))
    (export "[method]counter.get" (func $get)
      (func (param "self" (borrow $counter)) (result u32)))
    (export "[static]counter.zero" (func $zero)
      (func (result (own $counter))))
    (export "live-count" (func $live-count)
      (func (result u32)))
    (export "sum" (func $sum)
      (func (param "a" (borrow $counter)) (param "b" (borrow $counter)) (result u32)))
    (export "consume" (func $consume)
      (func (param "c" (own $counter)) (result u32)))
  )
  (instance $api-instance (instantiate $api
    (with "import-type-counter" (type $counter))
    (with "import-constructor-counter" (func $ctor))
    (with "import-method-counter-increment" (func $increment))
    (with "import-method-counter-get" (func $get))
    (with "import-static-counter-zero" (func $zero))
    (with "import-func-live-count" (func $live-count))
    (with "import-func-sum" (func $sum))
    (with "import-func-consume" (func $consume))))
  (export "docs:counter/api@1.0.0" (instance $api-instance))
)
