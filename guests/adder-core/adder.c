/*
 * adder-core (issue 10's seed scenario): docs:calc/adder@0.1.0 of world adder-world
 * (wit/guests/calc) as a plain core module, freestanding like guests/plugin (no libc, no WASI,
 * no wit-bindgen, no component type section). It follows the canonical ABI by hand, exporting
 * exactly what a component of that world needs, so the library's embed + new turns it and the
 * WIT into a component:
 *
 *   memory                                      linear memory (wasm-ld's default export)
 *   cabi_realloc(old, old_size, align, size)    allocator (bump, from __heap_base)
 *   docs:calc/adder@0.1.0#add(a, b) -> a + b
 *   docs:calc/adder@0.1.0#describe(a, b) -> ret pointer to {ptr, len} of "<a> + <b> = <a+b>"
 *   cabi_post_docs:calc/adder@0.1.0#describe(ret)   frees it (resets the heap)
 */
#include <stddef.h>
#include <stdint.h>

extern unsigned char __heap_base;
static uintptr_t heap;

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    if (!heap) {
        heap = (uintptr_t)&__heap_base;
    }
    uintptr_t ptr = (heap + align - 1) & ~(uintptr_t)(align - 1);
    uintptr_t end = ptr + new_size;
    if (end < ptr) {
        __builtin_trap();
    }
    size_t have = __builtin_wasm_memory_size(0) * 65536;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1) {
        __builtin_trap();
    }
    heap = end;
    unsigned char *to = (unsigned char *)ptr;
    const unsigned char *from = old;
    for (size_t i = 0; old && i < old_size && i < new_size; i++) {
        to[i] = from[i];
    }
    return to;
}

__attribute__((export_name("docs:calc/adder@0.1.0#add")))
uint32_t add(uint32_t a, uint32_t b) {
    return a + b; /* unsigned: wraps modulo 2^32 */
}

static size_t decimal(uint32_t n, char *out) {
    char digits[10];
    size_t len = 0;
    do {
        digits[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    for (size_t i = 0; i < len; i++) {
        out[i] = digits[len - 1 - i];
    }
    return len;
}

/* A string result is two values, more than one flat result: the function returns a pointer to
 * {ptr, len} (the return area, static here). */
static uint32_t ret_area[2];

__attribute__((export_name("docs:calc/adder@0.1.0#describe")))
uint32_t *describe(uint32_t a, uint32_t b) {
    char *text = cabi_realloc(0, 0, 1, 36); /* "4294967295 + 4294967295 = 4294967295" */
    size_t len = decimal(a, text);
    text[len++] = ' ';
    text[len++] = '+';
    text[len++] = ' ';
    len += decimal(b, text + len);
    text[len++] = ' ';
    text[len++] = '=';
    text[len++] = ' ';
    len += decimal(a + b, text + len);
    ret_area[0] = (uint32_t)(uintptr_t)text;
    ret_area[1] = (uint32_t)len;
    return ret_area;
}

/* After the caller read the string: nothing allocated is live any more. */
__attribute__((export_name("cabi_post_docs:calc/adder@0.1.0#describe")))
void describe_post_return(uint32_t *ret) {
    (void)ret;
    heap = (uintptr_t)&__heap_base;
}
