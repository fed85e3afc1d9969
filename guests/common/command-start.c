/*
 * The `_start` of a WASI command, as newer wasi-libc's crt1-command.c has it; C command guests
 * link this with -nostartfiles instead of Debian's wasi-libc (2022) crt1-command.o.
 *
 * Why: that older `_start` does not call the constructors itself, so wasm-ld wraps *every*
 * export in a `<name>.command_export` function that runs all constructors before and all
 * destructors after the call. A guest that exports `cabi_realloc` (every wit-bindgen C guest,
 * and the preview 1 adapter allocates its stack and state through it) then re-ran its
 * constructors and ran libc's destructors (flushing and resetting stdio) whenever the adapter
 * allocated: output buffered before the adapter's first call was lost. Calling
 * __wasm_call_ctors here, once, is what tells wasm-ld not to wrap the exports.
 */
#include <wasi/api.h>

extern void __wasm_call_ctors(void);
extern void __wasm_call_dtors(void);
extern int __main_void(void);

__attribute__((export_name("_start")))
void _start(void) {
    static volatile int started = 0;
    if (started != 0) {
        __builtin_trap();
    }
    started = 1;
    __wasm_call_ctors();
    int r = __main_void();
    __wasm_call_dtors();
    if (r != 0) {
        __wasi_proc_exit((__wasi_exitcode_t)r);
    }
}
