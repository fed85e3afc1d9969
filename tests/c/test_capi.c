/*
 * Drives the C API (native/include/wasmtime_jvm.h) against the real components of
 * corpus/components: every result is checked, everything is freed (run under valgrind by
 * scripts/test-c.sh), and the last line says "N passed, M failed". Exits non-zero on any
 * failure. Compiles as C11 and as C++17.
 *
 * Usage: test_capi [corpus/components directory]
 */
#include "wasmtime_jvm.h"
#include "wasmtime_jvm.h" /* twice: the include guard must hold */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed = 0;
static int failed = 0;
static const char *corpus = "corpus/components";
static int no_signals = 0;

#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (cond) {                                                            \
      passed++;                                                            \
    } else {                                                               \
      failed++;                                                            \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                 \
      fprintf(stderr, __VA_ARGS__);                                        \
      fputc('\n', stderr);                                                 \
    }                                                                      \
  } while (0)

/* ---- helpers ---- */

static int text_eq(const char *ptr, size_t len, const char *want) {
  return len == strlen(want) && (len == 0 || memcmp(ptr, want, len) == 0);
}

static int text_has(const char *ptr, size_t len, const char *needle) {
  size_t n = strlen(needle);
  size_t i;
  if (n == 0) return 1;
  for (i = 0; i + n <= len; i++) {
    if (memcmp(ptr + i, needle, n) == 0) return 1;
  }
  return 0;
}

/* Consumes `err`: true when it is NULL, otherwise reports it as a failure of `what`. */
static int ok(wjvm_error_t *err, const char *what) {
  const char *msg;
  size_t len;
  if (err == NULL) {
    passed++;
    return 1;
  }
  wjvm_error_message(err, &msg, &len);
  failed++;
  fprintf(stderr, "FAIL %s: unexpected error (kind %u): %.*s\n", what,
          (unsigned)wjvm_error_kind(err), (int)len, msg);
  wjvm_error_delete(err);
  return 0;
}

/* Consumes `err`: checks it is of `kind` and its message contains `needle`. */
static void expect_error(wjvm_error_t *err, wjvm_error_kind_t kind, const char *needle,
                         const char *what) {
  const char *msg;
  size_t len;
  if (err == NULL) {
    failed++;
    fprintf(stderr, "FAIL %s: succeeded, expected error kind %u\n", what, (unsigned)kind);
    return;
  }
  wjvm_error_message(err, &msg, &len);
  CHECK(wjvm_error_kind(err) == kind, "%s: error kind %u, expected %u: %.*s", what,
        (unsigned)wjvm_error_kind(err), (unsigned)kind, (int)len, msg);
  CHECK(text_has(msg, len, needle), "%s: message lacks \"%s\": %.*s", what, needle,
        (int)len, msg);
  CHECK(msg[len] == '\0', "%s: message is not NUL-terminated", what);
  wjvm_error_delete(err);
}

static char *read_file(const char *name, size_t *len) {
  char path[1024];
  FILE *f;
  long size;
  char *buf;
  snprintf(path, sizeof path, "%s/%s", corpus, name);
  f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (char *)malloc((size_t)size + 1);
  if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf != NULL) {
    buf[size] = '\0';
    *len = (size_t)size;
  }
  return buf;
}

static wjvm_engine_t *new_engine(int consume_fuel) {
  wjvm_engine_config_t config;
  wjvm_engine_t *engine = NULL;
  wjvm_engine_config_default(&config);
  /* echo.wat uses map<K, V> and list<T, N>. */
  config.component_model_map = 1;
  config.component_model_fixed_length_lists = 1;
  config.consume_fuel = (uint8_t)consume_fuel;
  config.parallel_compilation = 0;
  if (no_signals) config.signals_based_traps = 0;
  ok(wjvm_engine_new(&config, &engine), "wjvm_engine_new");
  return engine;
}

/* Compiles corpus/components/<name> from its WAT text. */
static wjvm_component_t *load(wjvm_engine_t *engine, const char *name) {
  size_t len = 0;
  char *wat = read_file(name, &len);
  wjvm_component_t *component = NULL;
  CHECK(wat != NULL, "read %s", name);
  if (wat == NULL) return NULL;
  ok(wjvm_component_new(engine, (const uint8_t *)wat, len, &component), name);
  free(wat);
  return component;
}

static wjvm_store_t *new_store(wjvm_engine_t *engine) {
  wjvm_store_t *store = NULL;
  ok(wjvm_store_new(engine, NULL, &store), "wjvm_store_new");
  return store;
}

static wjvm_instance_t *instantiate(wjvm_engine_t *engine, wjvm_store_t *store,
                                    wjvm_component_t *component) {
  wjvm_linker_t *linker = NULL;
  wjvm_instance_t *instance = NULL;
  ok(wjvm_linker_new(engine, &linker), "wjvm_linker_new");
  ok(wjvm_linker_instantiate(linker, store, component, &instance), "wjvm_linker_instantiate");
  wjvm_linker_delete(linker);
  return instance;
}

static wjvm_func_t *func(wjvm_instance_t *instance, const char *name) {
  wjvm_func_t *f = NULL;
  ok(wjvm_instance_func(instance, name, strlen(name), &f), name);
  return f;
}

/* ---- value builders (the caller's values: plain structs on the stack) ---- */

static wjvm_val_t val_of(uint8_t kind) {
  wjvm_val_t v;
  memset(&v, 0, sizeof v);
  v.kind = kind;
  return v;
}

static wjvm_str_t str(const char *s) {
  wjvm_str_t r;
  r.ptr = s;
  r.len = strlen(s);
  return r;
}

static wjvm_val_t v_u32(uint32_t x) {
  wjvm_val_t v = val_of(WJVM_VAL_U32);
  v.of.u32 = x;
  return v;
}

static wjvm_val_t v_s32(int32_t x) {
  wjvm_val_t v = val_of(WJVM_VAL_S32);
  v.of.s32 = x;
  return v;
}

static wjvm_val_t v_u8(uint8_t x) {
  wjvm_val_t v = val_of(WJVM_VAL_U8);
  v.of.u8 = x;
  return v;
}

static wjvm_val_t v_f64(double x) {
  wjvm_val_t v = val_of(WJVM_VAL_F64);
  v.of.f64 = x;
  return v;
}

static wjvm_val_t v_string(const char *s) {
  wjvm_val_t v = val_of(WJVM_VAL_STRING);
  v.of.string = str(s);
  return v;
}

static wjvm_val_t v_list(uint8_t kind, const wjvm_val_t *items, size_t len) {
  wjvm_val_t v = val_of(kind); /* WJVM_VAL_LIST, _FIXED_LIST or _TUPLE: same layout */
  v.of.list.ptr = items;
  v.of.list.len = len;
  return v;
}

static wjvm_val_t v_record(const wjvm_str_t *names, const wjvm_val_t *values, size_t len) {
  wjvm_val_t v = val_of(WJVM_VAL_RECORD);
  v.of.record.names = names;
  v.of.record.values = values;
  v.of.record.len = len;
  return v;
}

static wjvm_val_t v_variant(const char *name, const wjvm_val_t *payload) {
  wjvm_val_t v = val_of(WJVM_VAL_VARIANT);
  v.of.variant.name = str(name);
  v.of.variant.payload = payload;
  return v;
}

static wjvm_val_t v_option(const wjvm_val_t *some) {
  wjvm_val_t v = val_of(WJVM_VAL_OPTION);
  v.of.option = some;
  return v;
}

static wjvm_val_t v_result(int is_err, const wjvm_val_t *payload) {
  wjvm_val_t v = val_of(WJVM_VAL_RESULT);
  v.of.result.is_err = (uint8_t)is_err;
  v.of.result.payload = payload;
  return v;
}

static wjvm_val_t v_flags(const wjvm_str_t *names, size_t len) {
  wjvm_val_t v = val_of(WJVM_VAL_FLAGS);
  v.of.flags.ptr = names;
  v.of.flags.len = len;
  return v;
}

static wjvm_val_t v_resource(uint8_t kind, uint64_t id) {
  wjvm_val_t v = val_of(kind);
  v.of.resource = id;
  return v;
}

static int str_eq(wjvm_str_t a, wjvm_str_t b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static int val_eq(const wjvm_val_t *a, const wjvm_val_t *b);

static int list_eq(wjvm_val_list_t a, wjvm_val_list_t b) {
  size_t i;
  if (a.len != b.len) return 0;
  for (i = 0; i < a.len; i++) {
    if (!val_eq(&a.ptr[i], &b.ptr[i])) return 0;
  }
  return 1;
}

static int opt_eq(const wjvm_val_t *a, const wjvm_val_t *b) {
  if (a == NULL || b == NULL) return a == b;
  return val_eq(a, b);
}

/* Deep equality; floats bit for bit; record fields and flags by name, in any order. */
static int val_eq(const wjvm_val_t *a, const wjvm_val_t *b) {
  size_t i, j;
  if (a->kind != b->kind) return 0;
  switch (a->kind) {
    case WJVM_VAL_BOOL: return a->of.boolean == b->of.boolean;
    case WJVM_VAL_S8: return a->of.s8 == b->of.s8;
    case WJVM_VAL_U8: return a->of.u8 == b->of.u8;
    case WJVM_VAL_S16: return a->of.s16 == b->of.s16;
    case WJVM_VAL_U16: return a->of.u16 == b->of.u16;
    case WJVM_VAL_S32: return a->of.s32 == b->of.s32;
    case WJVM_VAL_U32: return a->of.u32 == b->of.u32;
    case WJVM_VAL_S64: return a->of.s64 == b->of.s64;
    case WJVM_VAL_U64: return a->of.u64 == b->of.u64;
    case WJVM_VAL_F32: return memcmp(&a->of.f32, &b->of.f32, sizeof(float)) == 0;
    case WJVM_VAL_F64: return memcmp(&a->of.f64, &b->of.f64, sizeof(double)) == 0;
    case WJVM_VAL_CHAR: return a->of.character == b->of.character;
    case WJVM_VAL_STRING: return str_eq(a->of.string, b->of.string);
    case WJVM_VAL_ENUM: return str_eq(a->of.enum_case, b->of.enum_case);
    case WJVM_VAL_LIST: return list_eq(a->of.list, b->of.list);
    case WJVM_VAL_FIXED_LIST: return list_eq(a->of.fixed_list, b->of.fixed_list);
    case WJVM_VAL_TUPLE: return list_eq(a->of.tuple, b->of.tuple);
    case WJVM_VAL_MAP:
      if (a->of.map.len != b->of.map.len) return 0;
      for (i = 0; i < a->of.map.len; i++) {
        if (!val_eq(&a->of.map.keys[i], &b->of.map.keys[i]) ||
            !val_eq(&a->of.map.values[i], &b->of.map.values[i]))
          return 0;
      }
      return 1;
    case WJVM_VAL_RECORD:
      if (a->of.record.len != b->of.record.len) return 0;
      for (i = 0; i < a->of.record.len; i++) {
        int found = 0;
        for (j = 0; j < b->of.record.len && !found; j++) {
          found = str_eq(a->of.record.names[i], b->of.record.names[j]) &&
                  val_eq(&a->of.record.values[i], &b->of.record.values[j]);
        }
        if (!found) return 0;
      }
      return 1;
    case WJVM_VAL_VARIANT:
      return str_eq(a->of.variant.name, b->of.variant.name) &&
             opt_eq(a->of.variant.payload, b->of.variant.payload);
    case WJVM_VAL_OPTION: return opt_eq(a->of.option, b->of.option);
    case WJVM_VAL_RESULT:
      return a->of.result.is_err == b->of.result.is_err &&
             opt_eq(a->of.result.payload, b->of.result.payload);
    case WJVM_VAL_FLAGS:
      if (a->of.flags.len != b->of.flags.len) return 0;
      for (i = 0; i < a->of.flags.len; i++) {
        int found = 0;
        for (j = 0; j < b->of.flags.len && !found; j++) {
          found = str_eq(a->of.flags.ptr[i], b->of.flags.ptr[j]);
        }
        if (!found) return 0;
      }
      return 1;
    case WJVM_VAL_OWN:
    case WJVM_VAL_BORROW: return a->of.resource == b->of.resource;
    default: return 0;
  }
}

/* Calls the one-argument `name` of echo.wat with `arg` and checks it comes back equal. */
static void echo(wjvm_instance_t *instance, const char *name, wjvm_val_t arg) {
  wjvm_func_t *f = func(instance, name);
  wjvm_val_vec_t out;
  out.ptr = NULL;
  out.len = 0;
  if (ok(wjvm_func_call(f, &arg, 1, &out), name)) {
    CHECK(out.len == 1 && val_eq(&arg, &out.ptr[0]), "%s: the value did not come back equal",
          name);
    wjvm_val_vec_delete(&out);
    CHECK(out.ptr == NULL && out.len == 0, "%s: wjvm_val_vec_delete resets the vec", name);
  }
  wjvm_func_delete(f);
}

/* Calls a function returning one value; stores it in *out (caller frees). */
static int call1(wjvm_func_t *f, const wjvm_val_t *args, size_t n, wjvm_val_vec_t *out,
                 const char *what) {
  out->ptr = NULL;
  out->len = 0;
  if (!ok(wjvm_func_call(f, args, n, out), what)) return 0;
  CHECK(out->len == 1, "%s: %zu results, expected 1", what, out->len);
  return out->len == 1;
}

static uint32_t call_u32(wjvm_func_t *f, const wjvm_val_t *args, size_t n, const char *what) {
  wjvm_val_vec_t out;
  uint32_t result = 0xdeadbeef;
  if (call1(f, args, n, &out, what)) {
    CHECK(out.ptr[0].kind == WJVM_VAL_U32, "%s: result kind %u", what, out.ptr[0].kind);
    result = out.ptr[0].of.u32;
  }
  wjvm_val_vec_delete(&out);
  return result;
}

/* ---- tests ---- */

static void test_add(void) {
  wjvm_engine_t *engine = new_engine(0);
  wjvm_component_t *component = load(engine, "add.wat");
  wjvm_store_t *store = new_store(engine);
  wjvm_instance_t *instance = instantiate(engine, store, component);
  wjvm_func_t *add = func(instance, "add");
  wjvm_val_t args[2];
  wjvm_val_vec_t out;
  const char *text;
  size_t len;
  uint64_t slots[2];
  uint64_t result = 0;
  wjvm_byte_vec_t bytes;
  wjvm_error_t *err;

  CHECK(wjvm_func_param_count(add) == 2, "add takes 2 params");
  CHECK(wjvm_func_result_count(add) == 1, "add returns 1 result");
  wjvm_func_type(add, &text, &len);
  CHECK(text_eq(text, len, "func(a: u32, b: u32) -> u32"), "add type: %.*s", (int)len, text);
  CHECK(wjvm_func_param_name(add, 1, &text, &len) && text_eq(text, len, "b"), "param 1 is b");
  CHECK(!wjvm_func_param_name(add, 2, &text, &len) && len == 0, "no param 2");

  args[0] = v_u32(1);
  args[1] = v_u32(2);
  if (call1(add, args, 2, &out, "add(1, 2)")) {
    CHECK(out.ptr[0].kind == WJVM_VAL_U32 && out.ptr[0].of.u32 == 3, "add(1, 2) = 3");
  }
  wjvm_val_vec_delete(&out);

  slots[0] = 4294967295u;
  slots[1] = 1;
  if (ok(wjvm_func_call_scalar(add, slots, 2, &result), "scalar add")) {
    CHECK(result == 0, "add wraps modulo 2^32, got %llu", (unsigned long long)result);
  }
  slots[0] = (uint64_t)1 << 32;
  expect_error(wjvm_func_call_scalar(add, slots, 2, &result), WJVM_ERROR_INVALID_ARGUMENT,
               "argument `a` of `add`", "scalar add out of range");

  args[1] = v_s32(2);
  expect_error(wjvm_func_call(add, args, 2, &out), WJVM_ERROR_INVALID_ARGUMENT,
               "argument `b` of `add`: expected u32 (WJVM_VAL_U32), got WJVM_VAL_S32",
               "add with an s32");
  expect_error(wjvm_func_call(add, args, 1, &out), WJVM_ERROR_INVALID_ARGUMENT, "takes 2",
               "add with one argument");
  expect_error(wjvm_func_call(add, NULL, 2, &out), WJVM_ERROR_INVALID_ARGUMENT, "NULL",
               "add with NULL args");

  {
    wjvm_func_t *missing = NULL;
    expect_error(wjvm_instance_func(instance, "nope", 4, &missing), WJVM_ERROR_UNKNOWN_EXPORT,
                 "the exports are: add", "unknown export");
    CHECK(missing == NULL, "out-pointer untouched on error");
  }

  if (ok(wjvm_component_type_text(component, &bytes), "type text")) {
    CHECK(text_has((const char *)bytes.ptr, bytes.len,
                   "export add: func(a: u32, b: u32) -> u32;"),
          "type text: %.*s", (int)bytes.len, (const char *)bytes.ptr);
    wjvm_byte_vec_delete(&bytes);
  }

  if (ok(wjvm_component_wit(component, &bytes), "wit")) {
    CHECK(text_has((const char *)bytes.ptr, bytes.len,
                   "package root:component;\n\nworld root {\n  export add: func(a: u32, b: u32) -> u32;\n}"),
          "wit: %.*s", (int)bytes.len, (const char *)bytes.ptr);
    wjvm_byte_vec_delete(&bytes);
  }
  expect_error(wjvm_component_wit(component, NULL), WJVM_ERROR_INVALID_ARGUMENT, "`out` is NULL",
               "wit with NULL out");

  /* serialize -> deserialize -> instance-pre -> a fresh store */
  if (ok(wjvm_component_serialize(component, &bytes), "serialize")) {
    wjvm_component_t *again = NULL;
    wjvm_linker_t *linker = NULL;
    wjvm_instance_pre_t *pre = NULL;
    wjvm_store_t *store2 = new_store(engine);
    wjvm_instance_t *instance2 = NULL;
    wjvm_func_t *add2;
    CHECK(bytes.len > 0, "serialized bytes");
    ok(wjvm_component_deserialize(engine, bytes.ptr, bytes.len, &again), "deserialize");
    wjvm_byte_vec_delete(&bytes);
    ok(wjvm_linker_new(engine, &linker), "linker");
    ok(wjvm_linker_instantiate_pre(linker, again, &pre), "instantiate_pre");
    ok(wjvm_instance_pre_instantiate(pre, store2, &instance2), "pre instantiate");
    add2 = func(instance2, "add");
    slots[0] = 20;
    slots[1] = 22;
    if (ok(wjvm_func_call_scalar(add2, slots, 2, &result), "add2")) {
      CHECK(result == 42, "deserialized add(20, 22) = 42");
    }
    wjvm_func_delete(add2);
    {
      wjvm_byte_vec_t wit = {NULL, 0};
      expect_error(wjvm_component_wit(again, &wit), WJVM_ERROR_INVALID_ARGUMENT,
                   "precompiled bytes carries no WIT", "WIT of a deserialized component");
    }
    wjvm_instance_delete(instance2);
    wjvm_instance_pre_delete(pre);
    wjvm_linker_delete(linker);
    wjvm_component_delete(again);
    wjvm_store_delete(store2);
  }

  /* Deleting the store frees it; handles into it then fail with WJVM_ERROR_CLOSED. */
  wjvm_store_delete(store);
  err = wjvm_func_call_scalar(add, slots, 2, &result);
  expect_error(err, WJVM_ERROR_CLOSED, "Store is closed", "call after store delete");
  {
    wjvm_func_t *f = NULL;
    expect_error(wjvm_instance_func(instance, "add", 3, &f), WJVM_ERROR_CLOSED, "closed",
                 "lookup after store delete");
  }
  wjvm_func_delete(add);
  wjvm_instance_delete(instance);
  wjvm_component_delete(component);
  wjvm_engine_delete(engine);
}

static void test_echo(void) {
  wjvm_engine_t *engine = new_engine(0);
  wjvm_component_t *component = load(engine, "echo.wat");
  wjvm_store_t *store = new_store(engine);
  wjvm_instance_t *instance = instantiate(engine, store, component);
  wjvm_val_t v;

  v = val_of(WJVM_VAL_BOOL);
  v.of.boolean = 1;
  echo(instance, "echo-bool", v);
  v = val_of(WJVM_VAL_S8);
  v.of.s8 = -128;
  echo(instance, "echo-s8", v);
  echo(instance, "echo-u8", v_u8(255));
  v = val_of(WJVM_VAL_S16);
  v.of.s16 = -32768;
  echo(instance, "echo-s16", v);
  v = val_of(WJVM_VAL_U16);
  v.of.u16 = 65535;
  echo(instance, "echo-u16", v);
  echo(instance, "echo-s32", v_s32(-2147483647 - 1));
  echo(instance, "echo-u32", v_u32(4294967295u));
  v = val_of(WJVM_VAL_S64);
  v.of.s64 = -9223372036854775807LL - 1;
  echo(instance, "echo-s64", v);
  v = val_of(WJVM_VAL_U64);
  v.of.u64 = 18446744073709551615ULL;
  echo(instance, "echo-u64", v);
  v = val_of(WJVM_VAL_F32);
  v.of.f32 = -1.5f;
  echo(instance, "echo-f32", v);
  {
    uint64_t bits = 0x7ff80000deadbeefULL; /* a NaN with a payload: kept bit for bit */
    v = val_of(WJVM_VAL_F64);
    memcpy(&v.of.f64, &bits, sizeof bits);
    echo(instance, "echo-f64", v);
  }
  v = val_of(WJVM_VAL_CHAR);
  v.of.character = 0x1F30D; /* U+1F30D EARTH GLOBE EUROPE-AFRICA */
  echo(instance, "echo-char", v);

  echo(instance, "echo-string", v_string("h\xc3\xa9llo, w\xc3\xb6rld"));
  echo(instance, "echo-string", v_string(""));

  {
    wjvm_val_t bytes[3];
    bytes[0] = v_u8(0);
    bytes[1] = v_u8(128);
    bytes[2] = v_u8(255);
    echo(instance, "echo-list-u8", v_list(WJVM_VAL_LIST, bytes, 3));
  }
  {
    wjvm_val_t nums[3];
    nums[0] = v_u32(1);
    nums[1] = v_u32(2);
    nums[2] = v_u32(4294967295u);
    echo(instance, "echo-list-u32", v_list(WJVM_VAL_LIST, nums, 3));
    echo(instance, "echo-list-u32", v_list(WJVM_VAL_LIST, NULL, 0));
  }
  {
    wjvm_val_t words[2];
    wjvm_val_t inner1[2], inner2[1], lists[3];
    words[0] = v_string("a");
    words[1] = v_string("");
    echo(instance, "echo-list-string", v_list(WJVM_VAL_LIST, words, 2));
    inner1[0] = v_u32(1);
    inner1[1] = v_u32(2);
    inner2[0] = v_u32(3);
    lists[0] = v_list(WJVM_VAL_LIST, inner1, 2);
    lists[1] = v_list(WJVM_VAL_LIST, NULL, 0);
    lists[2] = v_list(WJVM_VAL_LIST, inner2, 1);
    echo(instance, "echo-list-list", v_list(WJVM_VAL_LIST, lists, 3));
  }
  {
    wjvm_val_t four[4];
    four[0] = v_u32(10);
    four[1] = v_u32(20);
    four[2] = v_u32(30);
    four[3] = v_u32(40);
    echo(instance, "echo-fixed-list", v_list(WJVM_VAL_FIXED_LIST, four, 4));
    {
      wjvm_func_t *f = func(instance, "echo-fixed-list");
      wjvm_val_t three = v_list(WJVM_VAL_FIXED_LIST, four, 3);
      wjvm_val_vec_t out;
      expect_error(wjvm_func_call(f, &three, 1, &out), WJVM_ERROR_INVALID_ARGUMENT,
                   "exactly 4", "fixed list of 3");
      wjvm_func_delete(f);
    }
  }
  {
    wjvm_val_t keys[2], values[2];
    v = val_of(WJVM_VAL_MAP);
    keys[0] = v_string("one");
    keys[1] = v_string("two");
    values[0] = v_u32(1);
    values[1] = v_u32(2);
    v.of.map.keys = keys;
    v.of.map.values = values;
    v.of.map.len = 2;
    echo(instance, "echo-map", v);
  }
  {
    wjvm_str_t names[2];
    wjvm_val_t values[2], points[2];
    names[0] = str("y"); /* any order */
    names[1] = str("x");
    values[0] = v_s32(-2);
    values[1] = v_s32(1);
    echo(instance, "echo-record", v_record(names, values, 2));
    points[0] = v_record(names, values, 2);
    points[1] = v_record(names, values, 2);
    echo(instance, "echo-list-record", v_list(WJVM_VAL_LIST, points, 2));
  }
  {
    /* person { first-name: string, age: u8, tags: list<string> } */
    wjvm_str_t names[3];
    wjvm_val_t values[3], tags[2];
    wjvm_func_t *f;
    wjvm_val_t person;
    wjvm_val_vec_t out;
    names[0] = str("first-name");
    names[1] = str("age");
    names[2] = str("tags");
    tags[0] = v_string("admin");
    tags[1] = v_string("");
    values[0] = v_string("Zo\xc3\xab");
    values[1] = v_u8(36);
    values[2] = v_list(WJVM_VAL_LIST, tags, 2);
    person = v_record(names, values, 3);
    echo(instance, "echo-person", person);

    f = func(instance, "echo-person");
    tags[1] = v_u32(7); /* wrong kind deep inside: the error says where */
    expect_error(wjvm_func_call(f, &person, 1, &out), WJVM_ERROR_INVALID_ARGUMENT,
                 "argument `v` of `echo-person` at `v.tags[1]`: expected string",
                 "person with a u32 tag");
    person.of.record.len = 2;
    expect_error(wjvm_func_call(f, &person, 1, &out), WJVM_ERROR_INVALID_ARGUMENT,
                 "field `tags` of record", "person without tags");
    names[0] = str("name");
    person.of.record.len = 3;
    expect_error(wjvm_func_call(f, &person, 1, &out), WJVM_ERROR_INVALID_ARGUMENT,
                 "has no field `name`", "person with an unknown field");
    wjvm_func_delete(f);
  }
  {
    wjvm_val_t members[3];
    members[0] = v_u32(7);
    members[1] = v_string("seven");
    members[2] = v_f64(7.5);
    echo(instance, "echo-tuple", v_list(WJVM_VAL_TUPLE, members, 3));
  }
  {
    wjvm_val_t radius = v_f64(2.5);
    wjvm_str_t names[2];
    wjvm_val_t values[2], point;
    names[0] = str("x");
    names[1] = str("y");
    values[0] = v_s32(3);
    values[1] = v_s32(4);
    point = v_record(names, values, 2);
    echo(instance, "echo-variant", v_variant("circle", &radius));
    echo(instance, "echo-variant", v_variant("rect", &point));
    echo(instance, "echo-variant", v_variant("none-shape", NULL));
    {
      wjvm_func_t *f = func(instance, "echo-variant");
      wjvm_val_t bad = v_variant("circle", NULL);
      wjvm_val_vec_t out;
      expect_error(wjvm_func_call(f, &bad, 1, &out), WJVM_ERROR_INVALID_ARGUMENT,
                   "payload of type f64 is missing", "circle without payload");
      wjvm_func_delete(f);
    }
  }
  v = val_of(WJVM_VAL_ENUM);
  v.of.enum_case = str("blue");
  echo(instance, "echo-enum", v);
  {
    wjvm_val_t seven = v_u32(7);
    wjvm_val_t none = v_option(NULL);
    wjvm_val_t text = v_string("deep");
    wjvm_val_t some_text = v_option(&text);
    echo(instance, "echo-option", v_option(&seven));
    echo(instance, "echo-option", v_option(NULL));
    echo(instance, "echo-option-option", v_option(&none));
    echo(instance, "echo-option-option", v_option(&some_text));
  }
  {
    wjvm_val_t n = v_u32(9);
    wjvm_val_t message = v_string("bad");
    echo(instance, "echo-result", v_result(0, &n));
    echo(instance, "echo-result", v_result(1, &message));
    echo(instance, "echo-result-empty", v_result(0, NULL));
    echo(instance, "echo-result-empty", v_result(1, NULL));
  }
  {
    wjvm_str_t perms[2], big[3];
    perms[0] = str("read");
    perms[1] = str("exec");
    echo(instance, "echo-flags", v_flags(perms, 2));
    echo(instance, "echo-flags", v_flags(NULL, 0));
    big[0] = str("f0");
    big[1] = str("f17");
    big[2] = str("f31");
    echo(instance, "echo-flags-big", v_flags(big, 3));
  }
  {
    /* echo-many: 17 u32 parameters, more than the scalar fast path takes */
    wjvm_func_t *f = func(instance, "echo-many");
    wjvm_val_t args[17];
    uint64_t slots[17];
    wjvm_val_vec_t out;
    uint64_t sum = 0;
    int i;
    for (i = 0; i < 17; i++) {
      args[i] = v_u32((uint32_t)(i + 1) * 1000000000u / 7u);
      slots[i] = args[i].of.u32;
      sum += args[i].of.u32;
    }
    if (call1(f, args, 17, &out, "echo-many")) {
      CHECK(out.ptr[0].kind == WJVM_VAL_U64 && out.ptr[0].of.u64 == sum, "echo-many sum");
    }
    wjvm_val_vec_delete(&out);
    expect_error(wjvm_func_call_scalar(f, slots, 17, NULL), WJVM_ERROR_INVALID_ARGUMENT,
                 "at most 16", "scalar echo-many");
    wjvm_func_delete(f);
  }
  {
    wjvm_func_t *f = func(instance, "noop");
    wjvm_val_vec_t out;
    uint64_t slot = 99;
    if (ok(wjvm_func_call(f, NULL, 0, &out), "noop")) {
      CHECK(out.len == 0 && out.ptr == NULL, "noop returns nothing");
      wjvm_val_vec_delete(&out);
    }
    if (ok(wjvm_func_call_scalar(f, NULL, 0, &slot), "scalar noop")) {
      CHECK(slot == 0, "a function without result gives slot 0");
    }
    CHECK(ok(wjvm_func_call_scalar(f, NULL, 0, NULL), "scalar noop, NULL result"),
          "NULL result pointer is allowed");
    wjvm_func_delete(f);
  }

  wjvm_instance_delete(instance);
  wjvm_store_delete(store);
  wjvm_component_delete(component);
  wjvm_engine_delete(engine);
}

/* Calls `name` in a fresh instance of traps.wat and checks it traps with `code`. */
static void expect_trap(wjvm_engine_t *engine, wjvm_instance_pre_t *pre, const char *name,
                        const uint64_t *args, size_t nargs, wjvm_trap_code_t code) {
  wjvm_store_t *store = new_store(engine);
  wjvm_instance_t *instance = NULL;
  wjvm_func_t *f;
  wjvm_error_t *err;
  ok(wjvm_instance_pre_instantiate(pre, store, &instance), "traps instance");
  f = func(instance, name);
  err = wjvm_func_call_scalar(f, args, nargs, NULL);
  CHECK(err != NULL && wjvm_error_kind(err) == WJVM_ERROR_TRAP, "%s traps", name);
  if (err != NULL) {
    wjvm_trap_code_t got = WJVM_TRAP_UNKNOWN;
    const char *bt;
    size_t bt_len;
    CHECK(wjvm_error_trap_code(err, &got) && got == code, "%s: trap code %u, expected %u",
          name, (unsigned)got, (unsigned)code);
    wjvm_error_trap_backtrace(err, &bt, &bt_len);
    CHECK(bt_len > 0, "%s: the trap has a wasm backtrace", name);
    wjvm_error_delete(err);
  }
  wjvm_func_delete(f);
  wjvm_instance_delete(instance);
  wjvm_store_delete(store);
}

static void test_traps(void) {
  wjvm_engine_t *engine = new_engine(0);
  wjvm_component_t *component = load(engine, "traps.wat");
  wjvm_linker_t *linker = NULL;
  wjvm_instance_pre_t *pre = NULL;
  uint64_t divide_args[2] = {1, 0};
  ok(wjvm_linker_new(engine, &linker), "linker");
  ok(wjvm_linker_instantiate_pre(linker, component, &pre), "traps pre");

  expect_trap(engine, pre, "divide", divide_args, 2, WJVM_TRAP_INTEGER_DIVISION_BY_ZERO);
  expect_trap(engine, pre, "unreachable", NULL, 0, WJVM_TRAP_UNREACHABLE_CODE_REACHED);
  expect_trap(engine, pre, "oob-load", NULL, 0, WJVM_TRAP_MEMORY_OUT_OF_BOUNDS);

  {
    /* After a trap the store's components cannot run again. */
    wjvm_store_t *store = new_store(engine);
    wjvm_instance_t *instance = NULL;
    wjvm_func_t *divide, *ok42;
    uint64_t result = 0;
    wjvm_error_t *err;
    ok(wjvm_instance_pre_instantiate(pre, store, &instance), "traps instance");
    divide = func(instance, "divide");
    ok42 = func(instance, "ok");
    if (ok(wjvm_func_call_scalar(ok42, NULL, 0, &result), "ok()")) {
      CHECK(result == 42, "ok() = 42");
    }
    err = wjvm_func_call_scalar(divide, divide_args, 2, NULL);
    CHECK(wjvm_error_trap_code(err, NULL), "divide by zero is a trap");
    wjvm_error_delete(err);
    err = wjvm_func_call_scalar(ok42, NULL, 0, &result);
    {
      wjvm_trap_code_t code = WJVM_TRAP_UNKNOWN;
      CHECK(wjvm_error_trap_code(err, &code) && code == WJVM_TRAP_CANNOT_ENTER_COMPONENT,
            "ok() after a trap: CANNOT_ENTER_COMPONENT");
    }
    expect_error(err, WJVM_ERROR_TRAP, "create a new Store", "poisoned store message");
    wjvm_func_delete(divide);
    wjvm_func_delete(ok42);
    wjvm_instance_delete(instance);
    wjvm_store_delete(store);
  }

  wjvm_instance_pre_delete(pre);
  wjvm_linker_delete(linker);
  wjvm_component_delete(component);
  wjvm_engine_delete(engine);
}

static void test_fuel(void) {
  wjvm_engine_t *engine = new_engine(1);
  wjvm_engine_t *plain = new_engine(0);
  wjvm_component_t *component = load(engine, "traps.wat");
  wjvm_store_options_t options;
  wjvm_store_t *store = NULL;
  wjvm_store_t *no_fuel = NULL;
  wjvm_instance_t *instance;
  wjvm_func_t *spin;
  uint64_t fuel = 0;
  wjvm_error_t *err;

  memset(&options, 0, sizeof options);
  options.fuel = 5000;
  options.has_fuel = 1;
  expect_error(wjvm_store_new(plain, &options, &no_fuel), WJVM_ERROR_INVALID_ARGUMENT,
               "does not consume fuel", "fuel without a fuel engine");
  CHECK(no_fuel == NULL, "no store on error");

  ok(wjvm_store_new(engine, &options, &store), "fuel store");
  if (ok(wjvm_store_get_fuel(store, &fuel), "get fuel")) CHECK(fuel == 5000, "fuel 5000");
  ok(wjvm_store_set_fuel(store, 20000), "set fuel");
  if (ok(wjvm_store_get_fuel(store, &fuel), "get fuel")) CHECK(fuel == 20000, "fuel 20000");

  instance = instantiate(engine, store, component);
  spin = func(instance, "spin");
  err = wjvm_func_call_scalar(spin, NULL, 0, NULL);
  {
    wjvm_trap_code_t code = WJVM_TRAP_UNKNOWN;
    CHECK(wjvm_error_trap_code(err, &code) && code == WJVM_TRAP_OUT_OF_FUEL,
          "spin runs out of fuel");
  }
  wjvm_error_delete(err);

  wjvm_func_delete(spin);
  wjvm_instance_delete(instance);
  wjvm_store_delete(store);
  wjvm_component_delete(component);
  wjvm_engine_delete(plain);
  wjvm_engine_delete(engine);
}

static void test_link_and_compile_errors(void) {
  wjvm_engine_t *engine = new_engine(0);
  wjvm_engine_t *other = new_engine(0);
  wjvm_component_t *component = load(engine, "unsatisfied-import.wat");
  wjvm_component_t *bad = NULL;
  wjvm_store_t *store = new_store(engine);
  wjvm_store_t *foreign = new_store(other);
  wjvm_linker_t *linker = NULL;
  wjvm_instance_t *instance = NULL;
  wjvm_instance_pre_t *pre = NULL;
  static const uint8_t garbage[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 'x'};
  static const char not_valid[] = "(component (core module (func (result i32))))";

  expect_error(wjvm_component_new(engine, garbage, sizeof garbage, &bad), WJVM_ERROR_COMPILE,
               "", "malformed bytes");
  /* Well-formed text that fails validation: wasmtime's validation message, not a syntax error. */
  expect_error(wjvm_component_new(engine, (const uint8_t *)not_valid, strlen(not_valid), &bad),
               WJVM_ERROR_COMPILE, "type mismatch", "invalid WAT");
  static const char not_wat[] = "(component (core modul))";
  expect_error(wjvm_component_new(engine, (const uint8_t *)not_wat, strlen(not_wat), &bad),
               WJVM_ERROR_COMPILE, "not valid WAT", "malformed WAT");
  expect_error(wjvm_component_new(engine, NULL, 5, &bad), WJVM_ERROR_INVALID_ARGUMENT,
               "`bytes` is NULL", "NULL bytes");
  CHECK(bad == NULL, "no component on error");

  ok(wjvm_linker_new(engine, &linker), "linker");
  expect_error(wjvm_linker_instantiate(linker, store, component, &instance), WJVM_ERROR_LINK,
               "docs:log/logger@1.0.0", "missing import");
  expect_error(wjvm_linker_instantiate_pre(linker, component, &pre), WJVM_ERROR_LINK,
               "docs:log/logger@1.0.0", "missing import (pre)");
  expect_error(wjvm_linker_instantiate(linker, foreign, component, &instance),
               WJVM_ERROR_INVALID_ARGUMENT, "different Engine", "store of another engine");
  CHECK(instance == NULL && pre == NULL, "no instance on error");

  ok(wjvm_linker_define_unknown_imports_as_traps(linker, component), "stub imports");
  if (ok(wjvm_linker_instantiate(linker, store, component, &instance), "stubbed instance")) {
    wjvm_func_t *run = func(instance, "run");
    wjvm_val_vec_t out;
    wjvm_error_t *err = wjvm_func_call(run, NULL, 0, &out);
    wjvm_trap_code_t code = WJVM_TRAP_STACK_OVERFLOW;
    CHECK(wjvm_error_trap_code(err, &code) && code == WJVM_TRAP_UNKNOWN,
          "a stubbed import traps without a wasm trap code");
    expect_error(err, WJVM_ERROR_TRAP, "unknown import", "calling a stubbed import");
    wjvm_func_delete(run);
    wjvm_instance_delete(instance);
  }

  wjvm_linker_delete(linker);
  wjvm_store_delete(foreign);
  wjvm_store_delete(store);
  wjvm_component_delete(component);
  wjvm_engine_delete(other);
  wjvm_engine_delete(engine);
}

static void test_resources(void) {
  static const char *api = "docs:counter/api@1.0.0#";
  wjvm_engine_t *engine = new_engine(0);
  wjvm_component_t *component = load(engine, "resource.wat");
  wjvm_store_t *store = new_store(engine);
  wjvm_instance_t *instance = instantiate(engine, store, component);
  char name[128];
  wjvm_func_t *ctor, *increment, *live, *sum, *consume;
  wjvm_val_t args[2];
  wjvm_val_vec_t out;
  uint64_t a = 0, b = 0;

  snprintf(name, sizeof name, "%s[constructor]counter", api);
  ctor = func(instance, name);
  snprintf(name, sizeof name, "%s[method]counter.increment", api);
  increment = func(instance, name);
  snprintf(name, sizeof name, "%slive-count", api);
  live = func(instance, name);
  snprintf(name, sizeof name, "%ssum", api);
  sum = func(instance, name);
  snprintf(name, sizeof name, "%sconsume", api);
  consume = func(instance, name);

  args[0] = v_u32(5);
  if (call1(ctor, args, 1, &out, "new counter(5)")) {
    CHECK(out.ptr[0].kind == WJVM_VAL_OWN, "the constructor returns an own handle");
    a = out.ptr[0].of.resource;
  }
  wjvm_val_vec_delete(&out);
  args[0] = v_u32(10);
  if (call1(ctor, args, 1, &out, "new counter(10)")) b = out.ptr[0].of.resource;
  wjvm_val_vec_delete(&out);
  CHECK(call_u32(live, NULL, 0, "live-count") == 2, "two counters alive");

  args[0] = v_resource(WJVM_VAL_BORROW, a);
  CHECK(call_u32(increment, args, 1, "increment") == 6, "increment lends a: 6");
  args[0] = v_resource(WJVM_VAL_OWN, a);
  expect_error(wjvm_func_call(increment, args, 1, &out), WJVM_ERROR_INVALID_ARGUMENT,
               "expected borrow<counter>", "own given for a borrow");
  args[0] = v_resource(WJVM_VAL_BORROW, a);
  args[1] = v_resource(WJVM_VAL_BORROW, b);
  CHECK(call_u32(sum, args, 2, "sum") == 16, "sum(a, b) = 16");

  args[0] = v_resource(WJVM_VAL_OWN, a);
  CHECK(call_u32(consume, args, 1, "consume") == 6, "consume(a) = 6");
  CHECK(call_u32(live, NULL, 0, "live-count") == 1, "consume ran the destructor");
  expect_error(wjvm_func_call(consume, args, 1, &out), WJVM_ERROR_RESOURCE,
               "argument `c` of `", "a consumed handle cannot be passed again");
  expect_error(wjvm_resource_drop(store, a), WJVM_ERROR_RESOURCE, "no longer valid",
               "dropping a consumed handle");

  ok(wjvm_resource_drop(store, b), "drop b");
  CHECK(call_u32(live, NULL, 0, "live-count") == 0, "dropping b ran the destructor");

  /* A resource still held when the store is deleted goes with the store. */
  args[0] = v_u32(1);
  if (call1(ctor, args, 1, &out, "new counter(1)")) a = out.ptr[0].of.resource;
  wjvm_val_vec_delete(&out);

  wjvm_func_delete(ctor);
  wjvm_func_delete(increment);
  wjvm_func_delete(live);
  wjvm_func_delete(sum);
  wjvm_func_delete(consume);
  wjvm_instance_delete(instance);
  wjvm_store_delete(store);
  wjvm_component_delete(component);
  wjvm_engine_delete(engine);
}

static void test_nested_and_null_handling(void) {
  wjvm_engine_t *engine = new_engine(0);
  wjvm_component_t *component = load(engine, "nested.wat");
  wjvm_store_t *store = new_store(engine);
  wjvm_instance_t *instance = instantiate(engine, store, component);
  wjvm_func_t *mul = func(instance, "docs:calc/ops@1.0.0#mul");
  wjvm_func_t *version = func(instance, "version");
  uint64_t slots[2];
  uint64_t result = 0;
  wjvm_val_vec_t out;
  const char *text = "x";
  size_t len = 9;
  wjvm_engine_config_t config;
  wjvm_engine_t *bad_engine = NULL;

  slots[0] = (uint64_t)(int64_t)-6;
  slots[1] = 7;
  if (ok(wjvm_func_call_scalar(mul, slots, 2, &result), "mul")) {
    CHECK((int64_t)result == -42, "mul(-6, 7) = -42 (sign-extended slot)");
  }
  if (call1(version, NULL, 0, &out, "version")) {
    CHECK(out.ptr[0].kind == WJVM_VAL_STRING &&
              text_eq(out.ptr[0].of.string.ptr, out.ptr[0].of.string.len, "1.0.0") &&
              out.ptr[0].of.string.ptr[5] == '\0',
          "version() = \"1.0.0\", NUL-terminated");
  }
  wjvm_val_vec_delete(&out);
  {
    wjvm_func_t *f = NULL;
    expect_error(wjvm_instance_func(instance, "docs:calc/ops@1.0.0#div", 23, &f),
                 WJVM_ERROR_UNKNOWN_EXPORT, "the exports are: add, mul", "unknown nested");
  }
  {
    wjvm_byte_vec_t bytes;
    if (ok(wjvm_component_type_text(component, &bytes), "nested type text")) {
      CHECK(text_has((const char *)bytes.ptr, bytes.len,
                     "  export docs:calc/ops@1.0.0: interface {\n"
                     "    add: func(a: s32, b: s32) -> s32;\n"),
            "nested type text: %.*s", (int)bytes.len, (const char *)bytes.ptr);
      wjvm_byte_vec_delete(&bytes);
    }
  }

  /* NULL handles are errors, not crashes; deleting NULL does nothing. */
  expect_error(wjvm_func_call(NULL, NULL, 0, &out), WJVM_ERROR_INVALID_ARGUMENT,
               "`func` is NULL", "NULL func");
  expect_error(wjvm_store_new(NULL, NULL, &store), WJVM_ERROR_INVALID_ARGUMENT,
               "`engine` is NULL", "NULL engine");
  expect_error(wjvm_linker_new(engine, NULL), WJVM_ERROR_INVALID_ARGUMENT, "`out` is NULL",
               "NULL out-pointer");
  CHECK(wjvm_error_kind(NULL) == WJVM_ERROR_INVALID_ARGUMENT, "kind of NULL");
  wjvm_error_message(NULL, &text, &len);
  CHECK(len == 0 && text != NULL && text[0] == '\0', "message of NULL is empty text");
  CHECK(wjvm_func_param_count(NULL) == 0, "param count of NULL");
  wjvm_engine_delete(NULL);
  wjvm_store_delete(NULL);
  wjvm_component_delete(NULL);
  wjvm_linker_delete(NULL);
  wjvm_instance_pre_delete(NULL);
  wjvm_instance_delete(NULL);
  wjvm_func_delete(NULL);
  wjvm_error_delete(NULL);
  wjvm_val_vec_delete(NULL);
  wjvm_byte_vec_delete(NULL);

  wjvm_engine_config_default(&config);
  config.opt_level = 9;
  expect_error(wjvm_engine_new(&config, &bad_engine), WJVM_ERROR_INVALID_ARGUMENT,
               "opt_level 9", "bad opt level");
  CHECK(bad_engine == NULL, "no engine on error");

  wjvm_func_delete(mul);
  wjvm_func_delete(version);
  wjvm_instance_delete(instance);
  wjvm_store_delete(store);
  wjvm_component_delete(component);
  wjvm_engine_delete(engine);
}

/* Composition: a calculator socket importing an adder interface, plugged with an adder. */
static const char compose_adder[] =
    "(component"
    "  (core module $m (func (export \"add\") (param i32 i32) (result i32)"
    "    (i32.add (local.get 0) (local.get 1))))"
    "  (core instance $i (instantiate $m))"
    "  (func $add (param \"a\" u32) (param \"b\" u32) (result u32)"
    "    (canon lift (core func $i \"add\")))"
    "  (instance $adder (export \"add\" (func $add)))"
    "  (export \"docs:calc/adder@0.1.0\" (instance $adder)))";
static const char compose_calc[] =
    "(component"
    "  (import \"docs:calc/adder@0.1.0\" (instance $adder"
    "    (export \"add\" (func (param \"a\" u32) (param \"b\" u32) (result u32)))))"
    "  (alias export $adder \"add\" (func $add))"
    "  (core func $add_lowered (canon lower (func $add)))"
    "  (core module $m"
    "    (import \"host\" \"add\" (func $add (param i32 i32) (result i32)))"
    "    (func (export \"add-ten\") (param i32) (result i32)"
    "      (call $add (local.get 0) (i32.const 10))))"
    "  (core instance $i"
    "    (instantiate $m (with \"host\" (instance (export \"add\" (func $add_lowered))))))"
    "  (func $add_ten (param \"x\" u32) (result u32) (canon lift (core func $i \"add-ten\")))"
    "  (instance $calc (export \"add-ten\" (func $add_ten)))"
    "  (export \"docs:calc/calc@0.1.0\" (instance $calc)))";
static const char compose_unrelated[] =
    "(component"
    "  (core module $m (func (export \"ping\")))"
    "  (core instance $i (instantiate $m))"
    "  (func $ping (canon lift (core func $i \"ping\")))"
    "  (instance $thing (export \"ping\" (func $ping)))"
    "  (export \"docs:other/thing\" (instance $thing)))";

static void test_compose_plug(void) {
  wjvm_engine_t *engine = new_engine(0);
  wjvm_bytes_t plugs[2] = {{(const uint8_t *)compose_adder, strlen(compose_adder)},
                           {(const uint8_t *)compose_unrelated, strlen(compose_unrelated)}};
  wjvm_byte_vec_t composed = {NULL, 0};
  if (ok(wjvm_compose_plug((const uint8_t *)compose_calc, strlen(compose_calc), plugs, 1,
                           &composed),
         "wjvm_compose_plug")) {
    wjvm_component_t *component = NULL;
    CHECK(composed.len > 8 && composed.ptr[0] == 0, "composed bytes are a binary");
    if (ok(wjvm_component_new(engine, composed.ptr, composed.len, &component), "load composed")) {
      wjvm_store_t *store = new_store(engine);
      wjvm_instance_t *instance = instantiate(engine, store, component);
      if (instance != NULL) {
        wjvm_func_t *add_ten = func(instance, "docs:calc/calc@0.1.0#add-ten");
        wjvm_val_t x = v_u32(32);
        if (add_ten != NULL) {
          CHECK(call_u32(add_ten, &x, 1, "add-ten") == 42, "composed add-ten(32) == 42");
        }
        wjvm_func_delete(add_ten);
        wjvm_instance_delete(instance);
      }
      wjvm_store_delete(store);
    }
    wjvm_component_delete(component);
  }
  wjvm_byte_vec_delete(&composed);
  CHECK(composed.ptr == NULL && composed.len == 0, "byte vec reset after delete");

  /* The second plug satisfies nothing: the error names it and both sides. */
  expect_error(wjvm_compose_plug((const uint8_t *)compose_calc, strlen(compose_calc), plugs, 2,
                                 &composed),
               WJVM_ERROR_COMPOSE, "plug 2 satisfies none of the socket's imports", "useless plug");
  expect_error(wjvm_compose_plug((const uint8_t *)compose_calc, strlen(compose_calc), plugs + 1,
                                 1, &composed),
               WJVM_ERROR_COMPOSE, "`docs:other/thing`: instance { ping: func() }",
               "useless plug's exports");
  expect_error(wjvm_compose_plug((const uint8_t *)compose_calc, strlen(compose_calc), NULL, 1,
                                 &composed),
               WJVM_ERROR_INVALID_ARGUMENT, "`plugs` is NULL", "NULL plugs");
  expect_error(wjvm_compose_plug((const uint8_t *)compose_calc, strlen(compose_calc), plugs, 1,
                                 NULL),
               WJVM_ERROR_INVALID_ARGUMENT, "`out` is NULL", "NULL out");
  CHECK(composed.ptr == NULL, "no bytes on error");
  wjvm_engine_delete(engine);
}

/* Core WebAssembly: a module, the core linker, instances and their items. */
static void test_core_module(void) {
  static const char wat[] =
      "(module (memory (export \"memory\") 1 2)"
      " (global (export \"g\") (mut i64) (i64.const 7))"
      " (table (export \"t\") 2 funcref)"
      " (func $add (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))"
      " (func (export \"divmod\") (param i64 i64) (result i64 i64)"
      "   (i64.div_s (local.get 0) (local.get 1)) (i64.rem_s (local.get 0) (local.get 1)))"
      " (elem (i32.const 0) func $add)"
      " (data (i32.const 8) \"core\"))";
  wjvm_engine_t *engine = new_engine(0);
  wjvm_module_t *module = NULL;
  wjvm_module_t *again = NULL;
  wjvm_core_linker_t *linker = NULL;
  wjvm_store_t *store = new_store(engine);
  wjvm_core_instance_t *instance = NULL;
  wjvm_core_extern_t *add = NULL, *divmod = NULL, *memory = NULL, *global = NULL, *table = NULL;
  wjvm_component_t *component = NULL;
  wjvm_core_val_t args[2], results[2], v;
  uint64_t slots[2], out[2], pages = 0, bytes = 0, previous = 0;
  uint8_t buf[4];
  wjvm_byte_vec_t image;

  ok(wjvm_module_new(engine, (const uint8_t *)wat, sizeof wat - 1, &module), "wjvm_module_new");
  ok(wjvm_core_linker_new(engine, &linker), "wjvm_core_linker_new");
  ok(wjvm_core_linker_instantiate(linker, store, module, &instance), "core instantiate");
  ok(wjvm_core_instance_export(instance, "add", 3, &add), "export add");
  ok(wjvm_core_instance_export(instance, "divmod", 6, &divmod), "export divmod");
  ok(wjvm_core_instance_export(instance, "memory", 6, &memory), "export memory");
  ok(wjvm_core_instance_export(instance, "g", 1, &global), "export g");
  ok(wjvm_core_instance_export(instance, "t", 1, &table), "export t");
  CHECK(wjvm_core_extern_kind(memory) == WJVM_CORE_MEMORY, "memory kind");
  expect_error(wjvm_core_instance_export(instance, "nope", 4, &add), WJVM_ERROR_UNKNOWN_EXPORT,
               "add", "unknown core export");

  args[0].kind = 0; args[0].bits = 40; args[0].high = 0;
  args[1].kind = 0; args[1].bits = 2; args[1].high = 0;
  if (ok(wjvm_core_func_call(add, args, 2, results, 1), "core add")) {
    CHECK(results[0].kind == 0 && results[0].bits == 42, "core add(40, 2) = 42");
  }
  args[1].kind = 1;
  expect_error(wjvm_core_func_call(add, args, 2, results, 1), WJVM_ERROR_INVALID_ARGUMENT,
               "argument 2 must be i32", "core add with an i64");
  slots[0] = (uint64_t)-5; slots[1] = 2;
  if (ok(wjvm_core_func_call_raw(add, slots, 2, out, 1), "raw add")) {
    CHECK((int64_t)out[0] == -3, "raw add sign-extends, got %lld", (long long)out[0]);
  }
  slots[0] = 17; slots[1] = 5;
  if (ok(wjvm_core_func_call_raw(divmod, slots, 2, out, 2), "raw divmod")) {
    CHECK(out[0] == 3 && out[1] == 2, "divmod(17, 5) = 3, 2");
  }
  expect_error(wjvm_core_func_call_raw(divmod, slots, 1, out, 2), WJVM_ERROR_INVALID_ARGUMENT,
               "takes 2 arguments", "raw divmod with one argument");

  ok(wjvm_core_memory_size(memory, &pages, &bytes), "memory size");
  CHECK(pages == 1 && bytes == 65536, "one page");
  if (ok(wjvm_core_memory_read(memory, 8, buf, 4), "memory read")) {
    CHECK(memcmp(buf, "core", 4) == 0, "read the data segment");
  }
  ok(wjvm_core_memory_write(memory, 100, (const uint8_t *)"wasm", 4), "memory write");
  ok(wjvm_core_memory_read(memory, 100, buf, 4), "memory read back");
  CHECK(memcmp(buf, "wasm", 4) == 0, "read what was written");
  expect_error(wjvm_core_memory_read(memory, 65534, buf, 4), WJVM_ERROR_INVALID_ARGUMENT,
               "out of bounds", "read past the end");
  ok(wjvm_core_memory_grow(memory, 1, &previous), "grow 1");
  CHECK(previous == 1, "grew from 1 page");
  ok(wjvm_core_memory_grow(memory, 5, &previous), "grow past the maximum");
  CHECK(previous == UINT64_MAX, "cannot grow past 2 pages");

  if (ok(wjvm_core_global_get(global, &v), "global get")) {
    CHECK(v.kind == 1 && v.bits == 7, "g = 7");
  }
  v.bits = 9;
  ok(wjvm_core_global_set(global, &v), "global set");
  wjvm_core_global_get(global, &v);
  CHECK(v.bits == 9, "g = 9");
  v.kind = 0;
  expect_error(wjvm_core_global_set(global, &v), WJVM_ERROR_INVALID_ARGUMENT, "i64",
               "global set with an i32");

  ok(wjvm_core_table_size(table, &out[0]), "table size");
  CHECK(out[0] == 2, "two elements");
  if (ok(wjvm_core_table_get(table, 0, &v), "table get")) {
    CHECK(v.kind == 5 && v.bits != 0, "element 0 is a function");
  }
  expect_error(wjvm_core_table_get(table, 5, &v), WJVM_ERROR_INVALID_ARGUMENT, "out of bounds",
               "table get past the end");

  if (ok(wjvm_module_serialize(module, &image), "module serialize")) {
    ok(wjvm_module_deserialize(engine, image.ptr, image.len, &again), "module deserialize");
    image.ptr[image.len - 1] ^= 1;
    expect_error(wjvm_module_deserialize(engine, image.ptr, image.len, &again), WJVM_ERROR_COMPILE,
                 "", "corrupted module image");
    wjvm_byte_vec_delete(&image);
  }
  expect_error(wjvm_module_new(engine, (const uint8_t *)"(component)", 11, &again), WJVM_ERROR_COMPILE,
               "a component, not a core WebAssembly module", "component bytes as a module");
  expect_error(wjvm_component_new(engine, (const uint8_t *)"(module)", 8, &component),
               WJVM_ERROR_COMPILE, "a core WebAssembly module, not a component",
               "module bytes as a component");
  expect_error(wjvm_module_validate(engine, (const uint8_t *)"(module (func (result i32)))", 28),
               WJVM_ERROR_COMPILE, "", "invalid module");

  wjvm_core_extern_delete(add);
  wjvm_core_extern_delete(divmod);
  wjvm_core_extern_delete(memory);
  wjvm_core_extern_delete(global);
  wjvm_core_extern_delete(table);
  wjvm_core_instance_delete(instance);
  wjvm_core_linker_delete(linker);
  wjvm_module_delete(again);
  wjvm_module_delete(module);
  wjvm_store_delete(store);
  wjvm_engine_delete(engine);
}

/* Linking at run time: the calculator's import given from the adder instance, in one store. */
static void test_define_instance(void) {
  static const char adder_if[] = "docs:calc/adder@0.1.0";
  wjvm_engine_t *engine = new_engine(0);
  wjvm_component_t *adder = load(engine, "calc-adder.wat");
  wjvm_component_t *calculator = load(engine, "calc-calculator.wat");
  wjvm_store_t *store = new_store(engine);
  wjvm_store_t *other = new_store(engine);
  wjvm_linker_t *linker = NULL;
  wjvm_instance_t *a = NULL;
  wjvm_instance_t *c = NULL;
  ok(wjvm_linker_new(engine, &linker), "wjvm_linker_new");
  if (ok(wjvm_linker_instantiate(linker, store, adder, &a), "instantiate adder")) {
    expect_error(wjvm_linker_define_instance(linker, adder_if, strlen(adder_if), a, "nope", 4),
                 WJVM_ERROR_UNKNOWN_EXPORT, adder_if, "define_instance of an unknown export");
    expect_error(wjvm_linker_define_instance(linker, adder_if, strlen(adder_if), NULL, NULL, 0),
                 WJVM_ERROR_INVALID_ARGUMENT, "instance", "define_instance of NULL");
    if (ok(wjvm_linker_define_instance(linker, adder_if, strlen(adder_if), a, adder_if,
                                       strlen(adder_if)),
           "wjvm_linker_define_instance") &&
        ok(wjvm_linker_instantiate(linker, store, calculator, &c), "instantiate calculator")) {
      wjvm_func_t *add_three = func(c, "docs:calc/calc@0.1.0#add-three");
      wjvm_val_t args[3] = {v_u32(1), v_u32(2), v_u32(3)};
      if (add_three != NULL) {
        CHECK(call_u32(add_three, args, 3, "add-three") == 6, "linked add-three(1, 2, 3) == 6");
      }
      wjvm_func_delete(add_three);
    }
    /* The adder's functions serve only its store. */
    {
      wjvm_instance_t *elsewhere = NULL;
      expect_error(wjvm_linker_instantiate(linker, other, calculator, &elsewhere), WJVM_ERROR_LINK,
                   "another store", "calculator in another store");
      CHECK(elsewhere == NULL, "no instance on a link error");
    }
  }
  wjvm_instance_delete(c);
  wjvm_instance_delete(a);
  wjvm_linker_delete(linker);
  wjvm_store_delete(other);
  wjvm_store_delete(store);
  wjvm_component_delete(calculator);
  wjvm_component_delete(adder);
  wjvm_engine_delete(engine);
}

int main(int argc, char **argv) {
  const char *env = getenv("WJVM_TEST_NO_SIGNALS");
  if (argc > 1) corpus = argv[1];
  no_signals = env != NULL && env[0] == '1';

  test_add();
  test_echo();
  test_traps();
  test_fuel();
  test_link_and_compile_errors();
  test_resources();
  test_nested_and_null_handling();
  test_core_module();
  test_compose_plug();
  test_define_instance();

  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
