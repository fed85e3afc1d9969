/*
 * scoring (issue 15): docs:scoring/scorer@0.1.0 (wit/guests/scoring) in C with wit-bindgen's
 * bindings, built as a preview 1 reactor and made a component without WASI imports. The Spark
 * and Flink integration tests run it as a UDF over generated tables and compare every answer
 * with the same logic in Java.
 */
#include <stdlib.h>
#include <string.h>

#include "scoring.h"

static double score(int64_t id, double value, const scoring_string_t *label) {
    return value * 2.5 + (double)(id % 7) + (double)label->len;
}

double exports_docs_scoring_scorer_score(int64_t id, double value, scoring_string_t *label) {
    double s = score(id, value, label);
    scoring_string_free(label); /* arguments are the callee's */
    return s;
}

void exports_docs_scoring_scorer_score_batch(exports_docs_scoring_scorer_list_reading_t *rows,
                                             scoring_list_f64_t *ret) {
    ret->len = rows->len;
    ret->ptr = rows->len ? malloc(rows->len * sizeof(double)) : NULL;
    if (rows->len && !ret->ptr) {
        abort();
    }
    for (size_t i = 0; i < rows->len; i++) {
        ret->ptr[i] = score(rows->ptr[i].id, rows->ptr[i].value, &rows->ptr[i].label);
    }
    exports_docs_scoring_scorer_list_reading_free(rows);
}

double exports_docs_scoring_scorer_checked(double value) {
    if (value < 0) {
        __builtin_trap();
    }
    return value;
}

bool exports_docs_scoring_scorer_shout(scoring_string_t *label, scoring_string_t *ret) {
    if (label->len == 0) {
        scoring_string_free(label);
        return false;
    }
    /* The label's buffer becomes the result: the post-return function frees it. */
    for (size_t i = 0; i < label->len; i++) {
        uint8_t c = label->ptr[i];
        if (c >= 'a' && c <= 'z') {
            label->ptr[i] = (uint8_t)(c - 'a' + 'A');
        }
    }
    *ret = *label;
    return true;
}
