package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.CallBuffer;
import io.github.wasmtimejvm.wit.WitType;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes values into the call buffer in the layout the native side reads, guided by the WIT
 * type, checking each value against it. Accepts {@link Val}s and plain Java values (see {@link
 * Func#call(Object...)} for the mapping), mixed freely.
 *
 * <p>Layout, little-endian: bool/s8/u8 one byte; s16/u16 two; s32/u32/char/f32 four (floats as
 * bits); s64/u64/f64 eight; string and list: u32 count then UTF-8 bytes or elements; fixed-length
 * list: its elements; map: u32 count then key, value pairs; record and tuple: fields in order;
 * variant and enum: u32 case index then payload; option: one byte 0/1 then payload; result: one
 * byte 0 ok / 1 err then payload; flags: u32 words, bit i of word i/32; own and borrow: the u64
 * resource id.
 */
final class ValueEncoder {

    /** A value that does not fit its type; the message is completed on the way up. */
    static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message, null, false, false);
        }

        Mismatch at(String where) {
            return new Mismatch(where + ": " + getMessage());
        }
    }

    private final CallBuffer out;
    private final Store store;
    private List<Resource> transferred;
    private List<Integer> lent;
    private List<Integer> given;

    ValueEncoder(CallBuffer out, Store store) {
        this.out = out;
        this.store = store;
    }

    /** Resources passed as {@code own}: they belong to the guest once the call is made. */
    List<Resource> transferred() {
        return transferred == null ? List.of() : transferred;
    }

    /** Representations of host objects lent as {@code borrow}s, to take back after the call. */
    List<Integer> lentHostObjects() {
        return lent == null ? List.of() : lent;
    }

    /** Takes back every host object handed out, when the values are not sent after all. */
    void abandon() {
        io.github.wasmtimejvm.internal.StoreResources resources =
                io.github.wasmtimejvm.internal.Internals.resources(store);
        for (int rep : given == null ? List.<Integer>of() : given) {
            resources.hostTake(rep);
        }
        given = null;
        lent = null;
    }

    /** Takes back the host objects lent as {@code borrow}s (after the call). */
    void endLoans() {
        io.github.wasmtimejvm.internal.StoreResources resources =
                io.github.wasmtimejvm.internal.Internals.resources(store);
        for (int rep : lentHostObjects()) {
            resources.hostTake(rep);
        }
        lent = null;
    }

    void write(Object v, WitType type) {
        if (v instanceof Val val) {
            writeVal(val, type);
            return;
        }
        if (type instanceof WitType.Primitive p) {
            writePlainPrimitive(v, p);
            return;
        }
        if (v == null && !(type instanceof WitType.OptionType)) {
            throw new Mismatch("expected " + type + ", found null");
        }
        if (type instanceof WitType.ListType t) {
            writeList(v, t.element(), -1, type);
        } else if (type instanceof WitType.FixedListType t) {
            writeList(v, t.element(), t.size(), type);
        } else if (type instanceof WitType.MapType t) {
            writePlainMap(v, t);
        } else if (type instanceof WitType.RecordType t) {
            writePlainRecord(v, t);
        } else if (type instanceof WitType.TupleType t) {
            List<?> items = asList(v, type);
            if (items.size() != t.types().size()) {
                throw new Mismatch("expected " + type + " with " + t.types().size() + " elements, found "
                        + items.size());
            }
            for (int i = 0; i < items.size(); i++) {
                try {
                    write(items.get(i), t.types().get(i));
                } catch (Mismatch m) {
                    throw m.at("element " + i);
                }
            }
        } else if (type instanceof WitType.VariantType t) {
            if (v instanceof Variant var) {
                writeCase(var.caseName(), Optional.ofNullable(var.payload()), t);
            } else if (v instanceof java.lang.Enum<?> e) {
                writeCase(Names.fromJavaConstant(e.name()), Optional.empty(), t);
            } else {
                throw mismatch(type, v);
            }
        } else if (type instanceof WitType.EnumType t) {
            String name = v instanceof java.lang.Enum<?> e ? Names.fromJavaConstant(e.name())
                    : v instanceof CharSequence cs ? cs.toString() : null;
            if (name == null) {
                throw mismatch(type, v);
            }
            writeEnum(name, t);
        } else if (type instanceof WitType.OptionType t) {
            if (v == null) {
                out.putByte(0);
            } else if (v instanceof Optional<?> o) {
                if (o.isPresent()) {
                    out.putByte(1);
                    writePayload(o.get(), t.type(), "some");
                } else {
                    out.putByte(0);
                }
            } else {
                throw new Mismatch("expected " + type + " (a java.util.Optional or null), found " + describe(v));
            }
        } else if (type instanceof WitType.ResultType t) {
            if (v instanceof io.github.wasmtimejvm.component.Result<?, ?> r) {
                writeResult(r.isOk(), Optional.ofNullable(r.value()), t);
            } else {
                throw mismatch(type, v);
            }
        } else if (type instanceof WitType.FlagsType t) {
            writePlainFlags(v, t);
        } else if (type instanceof WitType.OwnType t) {
            writeResource(v, t.resource(), t.hostType(), true);
        } else if (type instanceof WitType.BorrowType t) {
            writeResource(v, t.resource(), t.hostType(), false);
        } else {
            throw new Mismatch("values of type " + type
                    + " cannot be passed (component-model async types are not supported)");
        }
    }

    // ---- Val ----

    private void writeVal(Val v, WitType type) {
        if (type instanceof WitType.Primitive p) {
            writeValPrimitive(v, p);
        } else if (type instanceof WitType.ListType t) {
            if (!(v instanceof Val.List l)) {
                throw mismatch(type, v);
            }
            out.putInt(l.values().size());
            writeElements(l.values(), t.element());
        } else if (type instanceof WitType.FixedListType t) {
            if (!(v instanceof Val.FixedList l) && !(v instanceof Val.List)) {
                throw mismatch(type, v);
            }
            List<Val> values = v instanceof Val.FixedList f ? f.values() : ((Val.List) v).values();
            if (values.size() != t.size()) {
                throw new Mismatch("expected " + type + " with exactly " + t.size() + " elements, found "
                        + values.size());
            }
            writeElements(values, t.element());
        } else if (type instanceof WitType.MapType t) {
            if (!(v instanceof Val.Map m)) {
                throw mismatch(type, v);
            }
            out.putInt(m.entries().size());
            for (Val.Entry e : m.entries()) {
                try {
                    write(e.key(), t.key());
                } catch (Mismatch x) {
                    throw x.at("map key");
                }
                try {
                    write(e.value(), t.value());
                } catch (Mismatch x) {
                    throw x.at("map value for key " + e.key());
                }
            }
        } else if (type instanceof WitType.RecordType t) {
            if (!(v instanceof Val.Record r)) {
                throw mismatch(type, v);
            }
            for (WitType.Field f : t.fields()) {
                Val fv = r.get(f.name()).orElseThrow(
                        () -> new Mismatch("expected " + type + ", but field `" + f.name() + "` is missing"));
                try {
                    write(fv, f.type());
                } catch (Mismatch x) {
                    throw x.at("field `" + f.name() + "`");
                }
            }
            if (r.fields().size() != t.fields().size()) {
                for (Val.Field f : r.fields()) {
                    if (t.field(f.name()).isEmpty()) {
                        throw new Mismatch("expected " + type + ", which has no field `" + f.name() + "`");
                    }
                }
            }
        } else if (type instanceof WitType.TupleType t) {
            if (!(v instanceof Val.Tuple tu)) {
                throw mismatch(type, v);
            }
            if (tu.values().size() != t.types().size()) {
                throw new Mismatch("expected " + type + ", found a tuple of " + tu.values().size());
            }
            for (int i = 0; i < t.types().size(); i++) {
                try {
                    write(tu.values().get(i), t.types().get(i));
                } catch (Mismatch x) {
                    throw x.at("element " + i);
                }
            }
        } else if (type instanceof WitType.VariantType t) {
            if (!(v instanceof Val.Variant var)) {
                throw mismatch(type, v);
            }
            writeCase(var.caseName(), var.payload().map(p -> (Object) p), t);
        } else if (type instanceof WitType.EnumType t) {
            if (!(v instanceof Val.Enum e)) {
                throw mismatch(type, v);
            }
            writeEnum(e.caseName(), t);
        } else if (type instanceof WitType.OptionType t) {
            if (!(v instanceof Val.Option o)) {
                throw mismatch(type, v);
            }
            if (o.value().isPresent()) {
                out.putByte(1);
                writePayload(o.value().get(), t.type(), "some");
            } else {
                out.putByte(0);
            }
        } else if (type instanceof WitType.ResultType t) {
            if (!(v instanceof Val.Result r)) {
                throw mismatch(type, v);
            }
            writeResult(r.isOk(), r.value().map(p -> (Object) p), t);
        } else if (type instanceof WitType.FlagsType t) {
            if (!(v instanceof Val.Flags f)) {
                throw mismatch(type, v);
            }
            writeFlags(f.names(), t);
        } else if (type instanceof WitType.OwnType t) {
            writeResource(v, t.resource(), t.hostType(), true);
        } else if (type instanceof WitType.BorrowType t) {
            writeResource(v, t.resource(), t.hostType(), false);
        } else {
            throw new Mismatch("values of type " + type
                    + " cannot be passed (component-model async types are not supported)");
        }
    }

    private void writeValPrimitive(Val v, WitType.Primitive p) {
        switch (p) {
            case BOOL -> {
                if (!(v instanceof Val.Bool b)) {
                    throw mismatch(p, v);
                }
                out.putByte(b.value() ? 1 : 0);
            }
            case S8 -> out.putByte(as(v, Val.S8.class, p).value());
            case U8 -> out.putByte(as(v, Val.U8.class, p).value());
            case S16 -> out.putShort(as(v, Val.S16.class, p).value());
            case U16 -> out.putShort(as(v, Val.U16.class, p).value());
            case S32 -> out.putInt(as(v, Val.S32.class, p).value());
            case U32 -> out.putInt((int) as(v, Val.U32.class, p).value());
            case S64 -> out.putLong(as(v, Val.S64.class, p).value());
            case U64 -> out.putLong(as(v, Val.U64.class, p).bits());
            case F32 -> out.putInt(Float.floatToRawIntBits(as(v, Val.F32.class, p).value()));
            case F64 -> out.putLong(Double.doubleToRawLongBits(as(v, Val.F64.class, p).value()));
            case CHAR -> out.putInt(as(v, Val.Char.class, p).codePoint());
            case STRING -> putString(as(v, Val.Str.class, p).value());
        }
    }

    private static <T extends Val> T as(Val v, Class<T> cls, WitType.Primitive p) {
        if (!cls.isInstance(v)) {
            throw mismatch(p, v);
        }
        return cls.cast(v);
    }

    // ---- plain Java ----

    private void writePlainPrimitive(Object v, WitType.Primitive p) {
        switch (p) {
            case BOOL -> {
                if (!(v instanceof Boolean b)) {
                    throw mismatch(p, v);
                }
                out.putByte(b ? 1 : 0);
            }
            case S8 -> out.putByte((int) integral(v, p, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case U8 -> out.putByte((int) integral(v, p, 0, 0xff));
            case S16 -> out.putShort((int) integral(v, p, Short.MIN_VALUE, Short.MAX_VALUE));
            case U16 -> out.putShort((int) integral(v, p, 0, 0xffff));
            case S32 -> out.putInt((int) integral(v, p, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case U32 -> out.putInt((int) integral(v, p, 0, 0xffff_ffffL));
            case S64 -> out.putLong(integral(v, p, Long.MIN_VALUE, Long.MAX_VALUE));
            case U64 -> out.putLong(unsigned64(v));
            case F32 -> out.putInt(Float.floatToRawIntBits(toFloat(v)));
            case F64 -> out.putLong(Double.doubleToRawLongBits(toDouble(v)));
            case CHAR -> out.putInt(codePoint(v));
            case STRING -> {
                if (!(v instanceof CharSequence cs)) {
                    throw mismatch(p, v);
                }
                putString(cs.toString());
            }
        }
    }

    /**
     * Writes a string, which must be Unicode scalar values: a lone surrogate has no UTF-8 form
     * (String.getBytes would silently write '?' for it).
     */
    private void putString(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new Mismatch(String.format(
                            "the string has a lone surrogate U+%04X at index %d, which a WIT string cannot hold",
                            (int) c, i));
                }
            }
        }
        out.putString(s);
    }

    static long integral(Object v, WitType.Primitive p, long min, long max) {
        long x;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            x = ((Number) v).longValue();
        } else if (v instanceof BigInteger b) {
            if (b.bitLength() > 63) {
                throw new Mismatch(b + " is out of range for " + p + " (" + min + " to " + max + ")");
            }
            x = b.longValue();
        } else if (v instanceof Val) {
            throw mismatch(p, v);
        } else {
            throw new Mismatch("expected " + p + " (an integer), found " + describe(v));
        }
        if (x < min || x > max) {
            throw new Mismatch(x + " is out of range for " + p + " (" + min + " to " + max + ")");
        }
        return x;
    }

    static long unsigned64(Object v) {
        if (v instanceof BigInteger b) {
            if (b.signum() < 0 || b.bitLength() > 64) {
                throw new Mismatch(b + " is out of range for u64 (0 to 18446744073709551615)");
            }
            return b.longValue();
        }
        return integral(v, WitType.Primitive.U64, 0, Long.MAX_VALUE);
    }

    static float toFloat(Object v) {
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Double d) {
            float f = d.floatValue();
            if (Double.isNaN(d) || (double) f == d) {
                return f;
            }
            throw new Mismatch(d + " cannot be represented exactly as f32");
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Long) {
            long l = ((Number) v).longValue();
            float f = l;
            // (long) saturates: 2^63 - 1 rounds to 2^63 and casts back to 2^63 - 1, so rule out 2^63.
            if (f != 0x1p63f && (long) f == l) {
                return f;
            }
            throw new Mismatch(l + " cannot be represented exactly as f32");
        }
        throw mismatch(WitType.Primitive.F32, v);
    }

    static double toDouble(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Long) {
            long l = ((Number) v).longValue();
            double d = l;
            // (long) saturates: 2^63 - 1 rounds to 2^63 and casts back to 2^63 - 1, so rule out 2^63.
            if (d != 0x1p63 && (long) d == l) {
                return d;
            }
            throw new Mismatch(l + " cannot be represented exactly as f64");
        }
        throw mismatch(WitType.Primitive.F64, v);
    }

    static int codePoint(Object v) {
        int cp;
        if (v instanceof Character c) {
            cp = c;
        } else if (v instanceof Integer i) {
            cp = i;
        } else if (v instanceof CharSequence cs && cs.codePoints().count() == 1) {
            cp = cs.toString().codePointAt(0);
        } else {
            throw new Mismatch("expected char (a Character, a code point or a one-character String), found "
                    + describe(v));
        }
        try {
            return new Val.Char(cp).codePoint();
        } catch (IllegalArgumentException e) {
            throw new Mismatch(e.getMessage());
        }
    }

    private void writeList(Object v, WitType element, int fixedSize, WitType type) {
        if (v instanceof byte[] bytes && (element == WitType.Primitive.U8 || element == WitType.Primitive.S8)) {
            checkSize(bytes.length, fixedSize, type);
            if (fixedSize < 0) {
                out.putInt(bytes.length);
            }
            out.putBytes(bytes);
            return;
        }
        List<?> items = asList(v, type);
        checkSize(items.size(), fixedSize, type);
        if (fixedSize < 0) {
            out.putInt(items.size());
        }
        writeElements(items, element);
    }

    private static void checkSize(int size, int fixedSize, WitType type) {
        if (fixedSize >= 0 && size != fixedSize) {
            throw new Mismatch("expected " + type + " with exactly " + fixedSize + " elements, found " + size);
        }
    }

    private void writeElements(List<?> items, WitType element) {
        for (int i = 0; i < items.size(); i++) {
            try {
                write(items.get(i), element);
            } catch (Mismatch m) {
                throw m.at("element " + i);
            }
        }
    }

    private static List<?> asList(Object v, WitType type) {
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (v != null && v.getClass().isArray()) {
            int n = Array.getLength(v);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(Array.get(v, i));
            }
            return out;
        }
        throw mismatch(type, v);
    }

    private void writePlainMap(Object v, WitType.MapType t) {
        Collection<? extends Map.Entry<?, ?>> entries;
        if (v instanceof Map<?, ?> m) {
            entries = m.entrySet();
        } else {
            throw mismatch(t, v);
        }
        out.putInt(entries.size());
        for (Map.Entry<?, ?> e : entries) {
            try {
                write(e.getKey(), t.key());
            } catch (Mismatch x) {
                throw x.at("map key");
            }
            try {
                write(e.getValue(), t.value());
            } catch (Mismatch x) {
                throw x.at("map value for key " + e.getKey());
            }
        }
    }

    private void writePlainRecord(Object v, WitType.RecordType t) {
        if (v instanceof Map<?, ?> m) {
            for (WitType.Field f : t.fields()) {
                Object fv = m.containsKey(f.name()) ? m.get(f.name()) : m.get(Names.toJavaMember(f.name()));
                if (fv == null && !m.containsKey(f.name()) && !m.containsKey(Names.toJavaMember(f.name()))) {
                    throw new Mismatch("expected " + t + ", but the map has no key `" + f.name() + "`");
                }
                try {
                    write(fv, f.type());
                } catch (Mismatch x) {
                    throw x.at("field `" + f.name() + "`");
                }
            }
            return;
        }
        if (v instanceof java.lang.Record r) {
            RecordComponent[] comps = r.getClass().getRecordComponents();
            for (WitType.Field f : t.fields()) {
                RecordComponent c = Names.component(comps, f.name());
                if (c == null) {
                    throw new Mismatch("expected " + t + ", but " + r.getClass().getSimpleName()
                            + " has no component for field `" + f.name() + "` (expected `"
                            + Names.toJavaMember(f.name()) + "`)");
                }
                Object fv;
                try {
                    c.getAccessor().setAccessible(true);
                    fv = c.getAccessor().invoke(r);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new Mismatch("cannot read " + r.getClass().getSimpleName() + "." + c.getName() + ": " + e);
                }
                try {
                    write(fv, f.type());
                } catch (Mismatch x) {
                    throw x.at("field `" + f.name() + "`");
                }
            }
            return;
        }
        throw new Mismatch("expected " + t + " (a Java record or a Map), found " + describe(v));
    }

    private void writePlainFlags(Object v, WitType.FlagsType t) {
        if (!(v instanceof Collection<?> c)) {
            throw new Mismatch("expected " + t + " (a Set of flag names), found " + describe(v));
        }
        List<String> names = new ArrayList<>(c.size());
        for (Object o : c) {
            if (o instanceof CharSequence cs) {
                names.add(cs.toString());
            } else if (o instanceof java.lang.Enum<?> e) {
                names.add(Names.fromJavaConstant(e.name()));
            } else {
                throw new Mismatch("expected flag names in " + t + ", found " + describe(o));
            }
        }
        writeFlags(names, t);
    }

    // ---- shared ----

    private void writeCase(String name, Optional<Object> payload, WitType.VariantType t) {
        int index = t.indexOf(name);
        if (index < 0) {
            throw new Mismatch("`" + name + "` is not a case of " + t);
        }
        WitType.Case c = t.cases().get(index);
        out.putInt(index);
        if (c.type() == null) {
            if (payload.isPresent()) {
                throw new Mismatch("case `" + name + "` of " + t + " has no payload, but one was given");
            }
        } else {
            writePayload(payload.orElseThrow(
                    () -> new Mismatch("case `" + name + "` of " + t + " needs a payload of type " + c.type())),
                    c.type(), "case `" + name + "`");
        }
    }

    private void writeEnum(String name, WitType.EnumType t) {
        int index = t.names().indexOf(name);
        if (index < 0) {
            throw new Mismatch("`" + name + "` is not a case of " + t);
        }
        out.putInt(index);
    }

    private void writeResult(boolean ok, Optional<Object> payload, WitType.ResultType t) {
        WitType side = ok ? t.ok() : t.err();
        String label = ok ? "ok" : "err";
        out.putByte(ok ? 0 : 1);
        if (side == null) {
            if (payload.isPresent()) {
                throw new Mismatch(label + " of " + t + " has no payload, but one was given");
            }
        } else {
            writePayload(payload.orElseThrow(
                    () -> new Mismatch(label + " of " + t + " needs a payload of type " + side)), side, label);
        }
    }

    private void writePayload(Object payload, WitType type, String where) {
        try {
            write(payload, type);
        } catch (Mismatch m) {
            throw m.at(where);
        }
    }

    private void writeFlags(Collection<String> names, WitType.FlagsType t) {
        int words = (t.names().size() + 31) / 32;
        int[] bits = new int[words];
        for (String n : names) {
            int i = t.names().indexOf(n);
            if (i < 0) {
                throw new Mismatch("`" + n + "` is not a flag of " + t);
            }
            bits[i / 32] |= 1 << (i % 32);
        }
        for (int w : bits) {
            out.putInt(w);
        }
    }

    private void writeResource(Object v, String typeName, int hostType, boolean own) {
        if (hostType >= 0) {
            writeHostObject(v instanceof Val.HostObject h ? h.value() : v, typeName, hostType, own);
            return;
        }
        Resource r;
        if (v instanceof Resource res) {
            r = res;
        } else if (v instanceof Val.Own o) {
            r = o.resource();
        } else if (v instanceof Val.Borrow b) {
            if (own) {
                throw new Mismatch("expected an owned " + typeName + " (Val.Own), found a borrow");
            }
            r = b.resource();
        } else {
            throw new Mismatch("expected " + (own ? "" : "borrow<") + typeName + (own ? "" : ">")
                    + " (a Resource), found " + describe(v));
        }
        if (r.store() != store) {
            throw new Mismatch("the resource belongs to a different Store");
        }
        long id;
        try {
            id = r.id();
        } catch (IllegalStateException e) {
            throw new Mismatch(e.getMessage());
        }
        out.putByte(0);
        out.putLong(id);
        if (own) {
            if (transferred == null) {
                transferred = new ArrayList<>(2);
            }
            transferred.add(r);
        }
    }

    private void writeHostObject(Object v, String typeName, int hostType, boolean own) {
        HostResourceType<?> t = HostResourceType.byId(hostType);
        if (v == null || v instanceof Val || v instanceof Resource || !t.accepts(v)) {
            throw new Mismatch("expected " + (own ? "" : "borrow<") + typeName + (own ? "" : ">")
                    + " (a host object of " + t + "), found " + describe(v));
        }
        int rep = io.github.wasmtimejvm.internal.Internals.resources(store).hostPut(v, t.destructor());
        if (given == null) {
            given = new ArrayList<>(2);
        }
        given.add(rep);
        out.putByte(1);
        out.putInt(rep);
        if (!own) {
            if (lent == null) {
                lent = new ArrayList<>(2);
            }
            lent.add(rep);
        }
    }

    static Mismatch mismatch(WitType expected, Object found) {
        return new Mismatch("expected " + expected + ", found " + describe(found));
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Val val) {
            return "a " + val.kind() + " value (" + truncate(val.toString()) + ")";
        }
        if (v instanceof CharSequence cs) {
            return "String \"" + truncate(cs.toString()) + "\"";
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
            return v.getClass().getSimpleName() + " " + v;
        }
        return "a " + v.getClass().getName();
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
