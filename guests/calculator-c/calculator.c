/*
 * calculator (issue 10's seed scenario): docs:calc/calc@0.1.0 in C with wit-bindgen's bindings
 * (wit/guests/calc, world calculator), on top of the imported docs:calc/adder@0.1.0. Every sum is
 * made by calls to the imported add; explain returns the imported describe's string unchanged.
 * Built as a preview 1 reactor with no WASI use, so the component imports only the adder.
 */
#include "calculator.h"

uint32_t exports_docs_calc_calc_add_three(uint32_t a, uint32_t b, uint32_t c) {
    return docs_calc_adder_add(docs_calc_adder_add(a, b), c);
}

uint32_t exports_docs_calc_calc_sum(calculator_list_u32_t *xs) {
    uint32_t total = 0;
    for (size_t i = 0; i < xs->len; i++) {
        total = docs_calc_adder_add(total, xs->ptr[i]);
    }
    /* Exported functions own their arguments. */
    calculator_list_u32_free(xs);
    return total;
}

void exports_docs_calc_calc_explain(uint32_t a, uint32_t b, calculator_string_t *ret) {
    /* The imported string lands in this component's memory (allocated with cabi_realloc); the
     * generated post-return function frees it once the caller has read it. */
    docs_calc_adder_describe(a, b, ret);
}
