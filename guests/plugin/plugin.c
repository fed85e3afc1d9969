/*
 * A core WebAssembly plugin in plain C, with no WASI and no libc: built by
 * `clang --target=wasm32 -nostdlib` (guests/build.sh). The host hands it bytes through the
 * exported buffer and reads its log messages from its memory, as plugin hosts of core modules
 * do (CorePluginTest).
 */

#define BUFFER_SIZE 65536

__attribute__((import_module("env"), import_name("log"))) void host_log(const char *text, int len);

static unsigned char buffer[BUFFER_SIZE];

__attribute__((export_name("buffer"))) unsigned char *plugin_buffer(void) { return buffer; }

__attribute__((export_name("buffer_size"))) int plugin_buffer_size(void) { return BUFFER_SIZE; }

__attribute__((export_name("fib"))) long long fib(int n) {
  long long a = 0, b = 1;
  while (n-- > 0) {
    long long t = a + b;
    a = b;
    b = t;
  }
  return a;
}

__attribute__((export_name("checksum"))) unsigned int checksum(const unsigned char *p, int n) {
  unsigned int h = 2166136261u; /* FNV-1a */
  for (int i = 0; i < n; i++) {
    h = (h ^ p[i]) * 16777619u;
  }
  return h;
}

__attribute__((export_name("reverse"))) void reverse(unsigned char *p, int n) {
  for (int i = 0, j = n - 1; i < j; i++, j--) {
    unsigned char t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
}

__attribute__((export_name("greet"))) void greet(void) {
  static const char hello[] = "hello from C";
  host_log(hello, (int)sizeof hello - 1);
}

__attribute__((export_name("divide"))) int divide(int a, int b) { return a / b; }

__attribute__((export_name("scale"))) double scale(double x, float factor) { return x * factor; }
