/*
 * adder (issue 10's seed scenario): docs:calc/adder@0.1.0 in C with wit-bindgen's bindings
 * (wit/guests/calc, world adder-world), built as a preview 1 reactor and made a component with
 * the reactor adapter. It uses no WASI (no stdio: the decimal digits are written here), so the
 * component imports nothing and can be plugged into the calculator or linked without WASI.
 */
#include <stdlib.h>
#include <string.h>

#include "adder_world.h"

uint32_t exports_docs_calc_adder_add(uint32_t a, uint32_t b) {
    return a + b; /* unsigned: wraps modulo 2^32 */
}

/* Writes n in decimal at out, returns the number of digits (at most 10). */
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

void exports_docs_calc_adder_describe(uint32_t a, uint32_t b, adder_world_string_t *ret) {
    char text[40]; /* "4294967295 + 4294967295 = 4294967295" is 36 bytes */
    size_t len = decimal(a, text);
    memcpy(text + len, " + ", 3);
    len += 3;
    len += decimal(b, text + len);
    memcpy(text + len, " = ", 3);
    len += 3;
    len += decimal(a + b, text + len);
    /* The result is freed by the generated post-return function. */
    adder_world_string_dup_n(ret, text, len);
}
