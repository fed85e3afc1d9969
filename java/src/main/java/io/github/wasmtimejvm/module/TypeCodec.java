package io.github.wasmtimejvm.module;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Reads the types the native side writes (the format is described in {@code jni/module/codec.rs}). */
final class TypeCodec {

    private TypeCodec() {}

    static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static String string(ByteBuffer b) {
        int n = b.getInt();
        String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }

    private static List<ValType> kinds(ByteBuffer b) {
        int n = Byte.toUnsignedInt(b.get());
        List<ValType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(ValType.fromNumber(b.get()));
        }
        return out;
    }

    static FuncType funcType(ByteBuffer b) {
        List<ValType> params = kinds(b);
        return new FuncType(params, kinds(b));
    }

    private static OptionalLong max(ByteBuffer b) {
        long m = b.getLong();
        return m < 0 ? OptionalLong.empty() : OptionalLong.of(m);
    }

    static ExternType externType(ByteBuffer b) {
        int tag = b.get();
        switch (tag) {
            case 0:
                return funcType(b);
            case 1: {
                long min = b.getLong();
                OptionalLong max = max(b);
                boolean is64 = b.get() != 0;
                boolean shared = b.get() != 0;
                return new MemoryType(min, max, is64, shared, b.get());
            }
            case 2: {
                ValType content = ValType.fromNumber(b.get());
                return new GlobalType(content, b.get() != 0);
            }
            case 3: {
                ValType element = ValType.fromNumber(b.get());
                long min = b.getLong();
                return new TableType(element, min, max(b));
            }
            case 4:
                return new TagType(funcType(b));
            default:
                throw new IllegalStateException("unknown item type tag " + tag);
        }
    }

    static List<ImportType> imports(byte[] bytes) {
        ByteBuffer b = wrap(bytes);
        int n = b.getInt();
        List<ImportType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String module = string(b);
            String name = string(b);
            out.add(new ImportType(module, name, externType(b)));
        }
        return List.copyOf(out);
    }

    static List<ExportType> exports(byte[] bytes) {
        ByteBuffer b = wrap(bytes);
        int n = b.getInt();
        List<ExportType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = string(b);
            out.add(new ExportType(name, externType(b)));
        }
        return List.copyOf(out);
    }

    /** The signature bytes of a function type, for the native side. */
    static byte[] encode(FuncType type) {
        List<ValType> p = type.params();
        List<ValType> r = type.results();
        if (p.size() > 255 || r.size() > 255) {
            throw new IllegalArgumentException("a host function takes at most 255 parameters and results");
        }
        byte[] out = new byte[2 + p.size() + r.size()];
        int i = 0;
        out[i++] = (byte) p.size();
        for (ValType t : p) {
            out[i++] = (byte) t.ordinal();
        }
        out[i++] = (byte) r.size();
        for (ValType t : r) {
            out[i++] = (byte) t.ordinal();
        }
        return out;
    }
}
