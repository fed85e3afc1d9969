package io.github.wasmtimejvm.panama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Hand-written bindings of {@code native/include/wasmtime_jvm.h}: one downcall handle per C
 * function these tests use, and the layouts of the structs they pass. No jextract (it is a
 * separate download from jdk.java.net, not reachable from this machine).
 *
 * <p>The library is the file named by the system property {@code wjvm.library} (the pom sets it
 * to {@code target/release/libwasmtime_jvm.so}), loaded once into the global arena.
 */
public final class WasmtimeJvm {

    private WasmtimeJvm() {}

    /** {@code size_t} on the 64-bit platforms the library is built for. */
    public static final ValueLayout.OfLong SIZE_T = JAVA_LONG;

    /** {@code wjvm_str_t}: {@code const char *ptr; size_t len;}. */
    public static final StructLayout STR = MemoryLayout.structLayout(
            ADDRESS.withName("ptr"), SIZE_T.withName("len")).withName("wjvm_str_t");

    /** {@code wjvm_val_vec_t}: {@code wjvm_val_t *ptr; size_t len;}. */
    public static final StructLayout VAL_VEC = MemoryLayout.structLayout(
            ADDRESS.withName("ptr"), SIZE_T.withName("len")).withName("wjvm_val_vec_t");

    /**
     * {@code wjvm_val_payload_t}, the union: only the members these tests read are named; its
     * size (24) is that of the largest members ({@code wjvm_val_record_t}, {@code _map_t},
     * {@code _variant_t}: three words).
     */
    public static final MemoryLayout VAL_PAYLOAD = MemoryLayout.unionLayout(
            JAVA_INT.withName("u32"),
            JAVA_LONG.withName("u64"),
            STR.withName("string"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("largest")).withName("wjvm_val_payload_t");

    /** {@code wjvm_val_t}: {@code uint8_t kind;} then the union at offset 8; 32 bytes. */
    public static final StructLayout VAL = MemoryLayout.structLayout(
            JAVA_BYTE.withName("kind"),
            MemoryLayout.paddingLayout(7),
            VAL_PAYLOAD.withName("of")).withName("wjvm_val_t");

    /** Offset of {@code of} in {@code wjvm_val_t}. */
    public static final long VAL_OF = VAL.byteOffset(MemoryLayout.PathElement.groupElement("of"));

    // wjvm_val_kind_t
    public static final byte VAL_U32 = 6;
    public static final byte VAL_S32 = 5;
    public static final byte VAL_STRING = 12;

    // wjvm_trap_code_t
    public static final int TRAP_INTEGER_DIVISION_BY_ZERO = 7;
    public static final int TRAP_CANNOT_ENTER_COMPONENT = 17;

    // wjvm_error_kind_t
    public static final int ERROR_COMPILE = 0;
    public static final int ERROR_TRAP = 2;
    public static final int ERROR_INVALID_ARGUMENT = 3;
    public static final int ERROR_UNKNOWN_EXPORT = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = SymbolLookup.libraryLookup(libraryPath(), Arena.global());

    /** The library file: the system property {@code wjvm.library}. */
    public static Path libraryPath() {
        String p = System.getProperty("wjvm.library");
        if (p == null || p.isEmpty()) {
            throw new IllegalStateException("set -Dwjvm.library to the path of libwasmtime_jvm.so");
        }
        return Path.of(p).toAbsolutePath().normalize();
    }

    private static MethodHandle fn(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIB.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError(name + " is not exported by " + libraryPath()));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static FunctionDescriptor err(MemoryLayout... args) {
        return FunctionDescriptor.of(ADDRESS, args);
    }

    // ---- errors ----
    /** {@code wjvm_error_kind_t wjvm_error_kind(const wjvm_error_t *err)} */
    public static final MethodHandle error_kind = fn("wjvm_error_kind", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** {@code void wjvm_error_message(const wjvm_error_t *err, const char **ptr, size_t *len)} */
    public static final MethodHandle error_message =
            fn("wjvm_error_message", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
    /** {@code bool wjvm_error_trap_code(const wjvm_error_t *err, wjvm_trap_code_t *code)} */
    public static final MethodHandle error_trap_code =
            fn("wjvm_error_trap_code", FunctionDescriptor.of(ValueLayout.JAVA_BOOLEAN, ADDRESS, ADDRESS));
    /** {@code void wjvm_error_delete(wjvm_error_t *err)} */
    public static final MethodHandle error_delete = fn("wjvm_error_delete", FunctionDescriptor.ofVoid(ADDRESS));

    // ---- engine ----
    /** {@code wjvm_error_t *wjvm_engine_new(const wjvm_engine_config_t *config, wjvm_engine_t **out)} */
    public static final MethodHandle engine_new = fn("wjvm_engine_new", err(ADDRESS, ADDRESS));
    /** {@code void wjvm_engine_delete(wjvm_engine_t *engine)} */
    public static final MethodHandle engine_delete = fn("wjvm_engine_delete", FunctionDescriptor.ofVoid(ADDRESS));

    // ---- component ----
    /** {@code wjvm_error_t *wjvm_component_new(const wjvm_engine_t *, const uint8_t *bytes, size_t len, wjvm_component_t **out)} */
    public static final MethodHandle component_new =
            fn("wjvm_component_new", err(ADDRESS, ADDRESS, SIZE_T, ADDRESS));
    /** {@code void wjvm_component_delete(wjvm_component_t *)} */
    public static final MethodHandle component_delete =
            fn("wjvm_component_delete", FunctionDescriptor.ofVoid(ADDRESS));

    // ---- linker ----
    /** {@code wjvm_error_t *wjvm_linker_new(const wjvm_engine_t *, wjvm_linker_t **out)} */
    public static final MethodHandle linker_new = fn("wjvm_linker_new", err(ADDRESS, ADDRESS));
    /** {@code wjvm_error_t *wjvm_linker_instantiate(const wjvm_linker_t *, wjvm_store_t *, const wjvm_component_t *, wjvm_instance_t **out)} */
    public static final MethodHandle linker_instantiate =
            fn("wjvm_linker_instantiate", err(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    /** {@code void wjvm_linker_delete(wjvm_linker_t *)} */
    public static final MethodHandle linker_delete = fn("wjvm_linker_delete", FunctionDescriptor.ofVoid(ADDRESS));

    // ---- store ----
    /** {@code wjvm_error_t *wjvm_store_new(const wjvm_engine_t *, const wjvm_store_options_t *options, wjvm_store_t **out)} */
    public static final MethodHandle store_new = fn("wjvm_store_new", err(ADDRESS, ADDRESS, ADDRESS));
    /** {@code void wjvm_store_delete(wjvm_store_t *)} */
    public static final MethodHandle store_delete = fn("wjvm_store_delete", FunctionDescriptor.ofVoid(ADDRESS));

    // ---- instance and functions ----
    /** {@code wjvm_error_t *wjvm_instance_func(const wjvm_instance_t *, const char *name, size_t len, wjvm_func_t **out)} */
    public static final MethodHandle instance_func =
            fn("wjvm_instance_func", err(ADDRESS, ADDRESS, SIZE_T, ADDRESS));
    /** {@code void wjvm_instance_delete(wjvm_instance_t *)} */
    public static final MethodHandle instance_delete =
            fn("wjvm_instance_delete", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code void wjvm_func_type(const wjvm_func_t *, const char **ptr, size_t *len)} */
    public static final MethodHandle func_type = fn("wjvm_func_type", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
    /** {@code size_t wjvm_func_param_count(const wjvm_func_t *)} */
    public static final MethodHandle func_param_count =
            fn("wjvm_func_param_count", FunctionDescriptor.of(SIZE_T, ADDRESS));
    /** {@code wjvm_error_t *wjvm_func_call(const wjvm_func_t *, const wjvm_val_t *args, size_t nargs, wjvm_val_vec_t *results)} */
    public static final MethodHandle func_call = fn("wjvm_func_call", err(ADDRESS, ADDRESS, SIZE_T, ADDRESS));
    /** {@code wjvm_error_t *wjvm_func_call_scalar(const wjvm_func_t *, const uint64_t *args, size_t nargs, uint64_t *result)} */
    public static final MethodHandle func_call_scalar =
            fn("wjvm_func_call_scalar", err(ADDRESS, ADDRESS, SIZE_T, ADDRESS));
    /**
     * {@code wjvm_func_call_scalar} as a <em>critical</em> downcall that may take heap arrays
     * ({@code MemorySegment.ofArray(long[])}): no thread-state transition, so the GC waits for
     * the call. Only for the benchmark's upper bound: a guest can run for long or call a host
     * function (an upcall), which a critical downcall must not do.
     */
    public static final MethodHandle func_call_scalar_critical =
            fn("wjvm_func_call_scalar", err(ADDRESS, ADDRESS, SIZE_T, ADDRESS), Linker.Option.critical(true));
    /** {@code void wjvm_func_delete(wjvm_func_t *)} */
    public static final MethodHandle func_delete = fn("wjvm_func_delete", FunctionDescriptor.ofVoid(ADDRESS));
    /** {@code void wjvm_val_vec_delete(wjvm_val_vec_t *vec)} */
    public static final MethodHandle val_vec_delete =
            fn("wjvm_val_vec_delete", FunctionDescriptor.ofVoid(ADDRESS));
}
