/*
 * kv-app (issue 5): implements docs:kv/app@1.0.0 on top of the host's docs:kv/store@1.0.0
 * bucket resource (wit/guests/kv, world kv-app; C bindings from wit-bindgen). Every bucket it
 * opens it drops before returning, so the host sees one constructor and one destructor call per
 * function call.
 */
#include <stdlib.h>
#include <string.h>

#include "kv_app.h"

static kv_app_string_t literal(const char *s) {
    return (kv_app_string_t){(uint8_t *)s, strlen(s)};
}

bool exports_docs_kv_app_remember(kv_app_string_t *key, kv_app_string_t *value, kv_app_string_t *ret) {
    kv_app_string_t name = literal("app");
    docs_kv_store_own_bucket_t bucket = docs_kv_store_constructor_bucket(&name);
    docs_kv_store_borrow_bucket_t b = docs_kv_store_borrow_bucket(bucket);
    docs_kv_store_method_bucket_set(b, key, value);
    bool found = docs_kv_store_method_bucket_get(b, key, ret);
    docs_kv_store_bucket_drop_own(bucket);
    /* Exported functions own their arguments. */
    kv_app_string_free(key);
    kv_app_string_free(value);
    return found;
}

bool exports_docs_kv_app_recall(kv_app_string_t *bucket_name, kv_app_string_t *key, kv_app_string_t *ret) {
    docs_kv_store_own_bucket_t bucket = docs_kv_store_constructor_bucket(bucket_name);
    bool found = docs_kv_store_method_bucket_get(docs_kv_store_borrow_bucket(bucket), key, ret);
    docs_kv_store_bucket_drop_own(bucket);
    kv_app_string_free(bucket_name);
    kv_app_string_free(key);
    return found;
}
