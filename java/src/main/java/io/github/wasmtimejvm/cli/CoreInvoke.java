package io.github.wasmtimejvm.cli;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.module.Func;
import io.github.wasmtimejvm.module.Linker;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.module.ValType;
import io.github.wasmtimejvm.wasi.WasiConfig;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --invoke} of a core module's exported function: number arguments parsed by the
 * function's parameter types, each result printed on its own line as {@code wasmtime run
 * --invoke} prints core results (integers signed, floats in their shortest decimal form, {@code
 * NaN}, {@code inf}).
 */
final class CoreInvoke {

    private CoreInvoke() {}

    static int invoke(Engine engine, Module module, String name, String arguments, WasiConfig wasi, PrintStream out) {
        try (Linker linker = new Linker(engine).addWasi(); Store store = Store.builder(engine).wasi(wasi).build()) {
            Func func = linker.instantiate(store, module).func(name);
            List<ValType> params = func.type().params();
            List<String> texts = split(arguments);
            if (texts.size() != params.size()) {
                throw new IllegalArgumentException("`" + name + "` " + func.type() + " takes " + params.size()
                        + " argument" + (params.size() == 1 ? "" : "s") + ", got " + texts.size());
            }
            Object[] args = new Object[texts.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = parse(params.get(i), texts.get(i), i, name, func);
            }
            for (Object result : func.call(args)) {
                out.println(format(result));
            }
        }
        return 0;
    }

    private static List<String> split(String arguments) {
        List<String> out = new ArrayList<>();
        if (arguments.isBlank()) {
            return out;
        }
        for (String part : arguments.split(",", -1)) {
            out.add(part.strip());
        }
        return out;
    }

    private static Object parse(ValType type, String text, int index, String name, Func func) {
        if (!type.isNumber()) {
            throw new IllegalArgumentException("`" + name + "` " + func.type() + " takes a " + type
                    + " as argument " + (index + 1) + ", which cannot be given on the command line");
        }
        try {
            switch (type) {
                case I32: {
                    long v = Long.parseLong(text);
                    if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
                        throw new NumberFormatException(text);
                    }
                    return (int) v;
                }
                case I64:
                    return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
                case F32:
                    return (float) floating(text);
                default:
                    return floating(text);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid argument " + (index + 1) + " for `" + name + "` "
                    + func.type() + ": `" + text + "` is not an " + type, e);
        }
    }

    private static double floating(String text) {
        switch (text) {
            case "nan":
            case "NaN":
                return Double.NaN;
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!text.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new NumberFormatException(text);
                }
                return Double.parseDouble(text);
        }
    }

    static String format(Object v) {
        if (v instanceof Float || v instanceof Double) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d)) {
                return "NaN";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "inf" : "-inf";
            }
            String shortest = v instanceof Float ? Float.toString((Float) v) : Double.toString(d);
            String plain = new BigDecimal(shortest).stripTrailingZeros().toPlainString();
            return d == 0 && 1 / d < 0 ? "-0" : plain;
        }
        if (v instanceof byte[]) {
            StringBuilder b = new StringBuilder("0x");
            byte[] bytes = (byte[]) v;
            for (int i = bytes.length - 1; i >= 0; i--) {
                b.append(String.format("%02x", bytes[i]));
            }
            return b.toString();
        }
        return String.valueOf(v);
    }
}
