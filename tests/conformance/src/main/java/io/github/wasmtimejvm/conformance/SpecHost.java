package io.github.wasmtimejvm.conformance;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.module.FuncType;
import io.github.wasmtimejvm.module.Global;
import io.github.wasmtimejvm.module.GlobalType;
import io.github.wasmtimejvm.module.Instance;
import io.github.wasmtimejvm.module.Linker;
import io.github.wasmtimejvm.module.Memory;
import io.github.wasmtimejvm.module.MemoryType;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.module.Table;
import io.github.wasmtimejvm.module.TableType;
import io.github.wasmtimejvm.module.ValType;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code spectest} host module of the core spec suite, as wasmtime 48's runner defines it
 * ({@code crates/wast/src/spectest.rs}): the {@code print*} functions (silent, as wasmtime's
 * runner runs them), the constant globals {@code global_i32} = 666, {@code global_i64} = 666,
 * {@code global_f32} = 666.6, {@code global_f64} = 666.6, {@code table} (10..20 funcref), {@code
 * table64} (the same with 64-bit indices) and {@code memory} (1..2 pages). wasmtime's runner also
 * defines a {@code shared_memory}; no script of the suite imports it.
 *
 * <p>{@link TableType} has no 64-bit flag, so {@code table64} is the export of a one-line module
 * instantiated in the script's store: the same table, made through the public API.
 */
final class SpecHost {

    private SpecHost() {}

    /** Defines {@code spectest} in {@code linker}; returns the helper module (to close with the script). */
    static Module define(Engine engine, Store store, Linker linker) {
        FuncType none = FuncType.of(List.of(), List.of());
        linker.func("spectest", "print", none, (c, a) -> null);
        print(linker, "print_i32", ValType.I32);
        print(linker, "print_i64", ValType.I64);
        print(linker, "print_f32", ValType.F32);
        print(linker, "print_f64", ValType.F64);
        print(linker, "print_i32_f32", ValType.I32, ValType.F32);
        print(linker, "print_f64_f64", ValType.F64, ValType.F64);
        linker.define(store, "spectest", "global_i32", Global.create(store, new GlobalType(ValType.I32, false), 666));
        linker.define(store, "spectest", "global_i64", Global.create(store, new GlobalType(ValType.I64, false), 666L));
        linker.define(store, "spectest", "global_f32",
                Global.create(store, new GlobalType(ValType.F32, false), Float.intBitsToFloat(0x4426_a666)));
        linker.define(store, "spectest", "global_f64",
                Global.create(store, new GlobalType(ValType.F64, false), Double.longBitsToDouble(0x4084_d4cc_cccc_cccdL)));
        linker.define(store, "spectest", "table",
                Table.create(store, new TableType(ValType.FUNCREF, 10, OptionalLong.of(20)), null));
        Module table64 = Module.fromWat(engine, "(module (table (export \"table64\") i64 10 20 funcref))");
        Instance t = linker.instantiate(store, table64);
        linker.define(store, "spectest", "table64", t.table("table64"));
        linker.define(store, "spectest", "memory", Memory.create(store, MemoryType.of(1, OptionalLong.of(2))));
        return table64;
    }

    private static void print(Linker linker, String name, ValType... params) {
        linker.func("spectest", name, FuncType.of(List.of(params), List.of()), (c, a) -> null);
    }
}
