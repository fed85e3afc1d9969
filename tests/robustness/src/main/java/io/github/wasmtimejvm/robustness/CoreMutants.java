package io.github.wasmtimejvm.robustness;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.module.ExportType;
import io.github.wasmtimejvm.module.Func;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The mutation fuzzer's core-module path: a mutant that is a core module (or a module's compiled
 * image) is compiled, instantiated with WASI and traps for unknown imports, and its exports are
 * driven through {@code io.github.wasmtimejvm.module} with random arguments: calls (values and raw
 * slots), memory reads, writes and growth at random offsets, globals and tables read and written.
 */
final class CoreMutants {

    private static final int CALLS = 12;

    private CoreMutants() {}

    /** Whether {@code bytes} look like a compiled module image (the kind byte of the header). */
    static boolean isModuleImage(byte[] bytes) {
        return bytes.length > 9 && new String(bytes, 0, 8, StandardCharsets.ISO_8859_1).equals("WJVMCODE")
                && bytes[9] == 'm';
    }

    static void run(Consumer<String> count, Engine engine, MutationFuzzer.Kind kind, byte[] bytes, Random random,
            Supplier<Store> stores, BiConsumer<String, Throwable> outcome) {
        Module module;
        try {
            module = switch (kind) {
                case BYTES -> Module.fromBytes(engine, bytes);
                case WAT -> Module.fromWat(engine, new String(bytes, StandardCharsets.UTF_8));
                case IMAGE -> Module.deserialize(engine, bytes);
            };
        } catch (Throwable t) {
            outcome.accept("compile", t);
            return;
        }
        count.accept(kind == MutationFuzzer.Kind.IMAGE ? "image_accepted_modified" : "compiled");
        String stage = "link";
        try (module; Linker linker = new Linker(engine); Store store = stores.get()) {
            if (kind == MutationFuzzer.Kind.IMAGE) {
                return; // changed machine code that was not refused: never run
            }
            linker.addWasi().defineUnknownImportsAsTraps(true);
            stage = "instantiate";
            Instance instance = linker.instantiate(store, module);
            count.accept("instantiated");
            stage = "call";
            List<ExportType> exports = instance.exports();
            for (int i = 0; i < CALLS && !exports.isEmpty(); i++) {
                ExportType e = exports.get(random.nextInt(exports.size()));
                count.accept("calls");
                try {
                    drive(instance, e, random);
                    count.accept("returned");
                } catch (Throwable t) {
                    outcome.accept("call", t);
                    if (!(t instanceof TrapException) && !(t instanceof IllegalArgumentException)
                            && !(t instanceof IndexOutOfBoundsException)) {
                        return;
                    }
                }
            }
            stage = "store-close";
        } catch (Throwable t) {
            outcome.accept(stage, t);
        }
    }

    private static void drive(Instance instance, ExportType e, Random random) {
        if (e.type() instanceof FuncType type) {
            Func f = instance.func(e.name());
            if (type.params().stream().allMatch(ValType::isNumber) && type.results().stream().allMatch(ValType::isNumber)
                    && random.nextBoolean()) {
                long[] args = new long[type.params().size() + (random.nextInt(8) == 0 ? 1 : 0)];
                for (int k = 0; k < args.length; k++) {
                    args[k] = random.nextInt(8) == 0 ? random.nextLong() : random.nextInt(100);
                }
                f.callRaw(args, new long[type.results().size()]);
            } else {
                Object[] args = new Object[type.params().size()];
                for (int k = 0; k < args.length; k++) {
                    args[k] = value(type.params().get(k), instance, random);
                }
                f.call(args);
            }
        } else if (e.type() instanceof MemoryType) {
            Memory m = instance.memory(e.name());
            long size = m.dataSize();
            long offset = random.nextInt(4) == 0 ? random.nextLong() : (size == 0 ? 0 : Math.floorMod(random.nextLong(), size + 16));
            switch (random.nextInt(4)) {
                case 0 -> m.read(offset, random.nextInt(64));
                case 1 -> m.write(offset, new byte[random.nextInt(64)]);
                case 2 -> m.grow(random.nextInt(3));
                default -> m.putLong(offset, random.nextLong());
            }
        } else if (e.type() instanceof GlobalType g) {
            Global global = instance.global(e.name());
            global.get();
            if (g.mutable() || random.nextInt(4) == 0) {
                global.set(value(g.content(), instance, random));
            }
        } else if (e.type() instanceof TableType t) {
            Table table = instance.table(e.name());
            long size = table.size();
            long index = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt((int) Math.min(size + 2, 1000));
            switch (random.nextInt(3)) {
                case 0 -> table.get(index);
                case 1 -> table.set(index, value(t.element(), instance, random));
                default -> table.grow(random.nextInt(4), value(t.element(), instance, random));
            }
        }
    }

    /** A random Java value for {@code type} (now and then one of the wrong kind). */
    private static Object value(ValType type, Instance instance, Random random) {
        if (random.nextInt(16) == 0) {
            return random.nextBoolean() ? "not a wasm value" : null;
        }
        return switch (type) {
            case I32 -> random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(100);
            case I64 -> random.nextInt(4) == 0 ? random.nextLong() : (long) random.nextInt(100);
            case F32 -> Float.intBitsToFloat(random.nextInt());
            case F64 -> random.nextBoolean() ? random.nextDouble() * 100 : Double.longBitsToDouble(random.nextLong());
            case V128 -> {
                byte[] b = new byte[16];
                random.nextBytes(b);
                yield b;
            }
            case FUNCREF -> {
                for (ExportType e : instance.exports()) {
                    if (e.type() instanceof FuncType && random.nextBoolean()) {
                        yield instance.func(e.name());
                    }
                }
                yield null;
            }
            case EXTERNREF -> random.nextBoolean() ? new Object() : null;
            default -> null;
        };
    }
}
