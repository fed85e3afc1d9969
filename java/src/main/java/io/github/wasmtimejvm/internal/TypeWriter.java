package io.github.wasmtimejvm.internal;

import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes types in the layout {@link TypeReader} reads, for passing them to the native side. */
public final class TypeWriter {
    /**
     * The deepest nesting of compound types accepted (a {@code list<list<u8>>} is nested 2
     * deep), as WebAssembly validators cap it: deeper types are refused here with {@link
     * IllegalArgumentException}, before any code recurses through them.
     */
    public static final int MAX_DEPTH = 100;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int depth;

    private TypeWriter() {}

    /** Encodes a function type. */
    public static byte[] funcType(FuncType t) {
        TypeWriter w = new TypeWriter();
        w.u32(t.params().size());
        for (FuncType.Param p : t.params()) {
            w.string(p.name());
            w.type(p.type());
        }
        w.u32(t.results().size());
        for (WitType r : t.results()) {
            w.type(r);
        }
        w.out.write(t.isAsync() ? 1 : 0);
        return w.out.toByteArray();
    }

    private void u32(int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        out.writeBytes(b);
    }

    private void strings(List<String> names) {
        u32(names.size());
        for (String n : names) {
            string(n);
        }
    }

    private void optional(WitType t) {
        if (t == null) {
            out.write(0);
        } else {
            out.write(1);
            type(t);
        }
    }

    private void type(WitType t) {
        if (t instanceof WitType.Primitive p) {
            out.write(p.ordinal());
            return;
        }
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("a type is nested more than " + MAX_DEPTH
                    + " levels deep, which WebAssembly components do not allow");
        }
        compound(t);
        depth--;
    }

    private void compound(WitType t) {
        if (t instanceof WitType.ListType l) {
            out.write(13);
            type(l.element());
        } else if (t instanceof WitType.FixedListType l) {
            out.write(14);
            type(l.element());
            u32(l.size());
        } else if (t instanceof WitType.MapType m) {
            out.write(15);
            type(m.key());
            type(m.value());
        } else if (t instanceof WitType.RecordType r) {
            out.write(16);
            u32(r.fields().size());
            for (WitType.Field f : r.fields()) {
                string(f.name());
                type(f.type());
            }
        } else if (t instanceof WitType.TupleType tu) {
            out.write(17);
            u32(tu.types().size());
            for (WitType e : tu.types()) {
                type(e);
            }
        } else if (t instanceof WitType.VariantType v) {
            out.write(18);
            u32(v.cases().size());
            for (WitType.Case c : v.cases()) {
                string(c.name());
                optional(c.type());
            }
        } else if (t instanceof WitType.EnumType e) {
            out.write(19);
            strings(e.names());
        } else if (t instanceof WitType.OptionType o) {
            out.write(20);
            type(o.type());
        } else if (t instanceof WitType.ResultType r) {
            out.write(21);
            optional(r.ok());
            optional(r.err());
        } else if (t instanceof WitType.FlagsType f) {
            out.write(22);
            strings(f.names());
        } else if (t instanceof WitType.OwnType o) {
            out.write(23);
            string(o.resource());
            u32(o.hostType());
        } else if (t instanceof WitType.BorrowType b) {
            out.write(24);
            string(b.resource());
            u32(b.hostType());
        } else if (t instanceof WitType.FutureType f) {
            out.write(25);
            optional(f.type());
        } else if (t instanceof WitType.StreamType s) {
            out.write(26);
            optional(s.type());
        } else {
            out.write(27);
        }
    }
}
