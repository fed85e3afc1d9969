package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.CallBuffer;
import io.github.wasmtimejvm.wit.WitType;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes values into the call buffer in the wire format the native side reads (documented once,
 * in {@code native/src/jni/value_codec.rs}, next to the code that reads it), guided by the WIT
 * type, checking each value against it. Accepts {@link Val}s and plain Java values, mixed
 * freely; what a plain Java value may stand for is {@link PlainJava}'s to say.
 */
final class ValueEncoder {

    private final CallBuffer out;
    private final Store store;
    /** The class of the last compound value found not to be a {@link Val}. */
    private Class<?> plainClass;
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

    /** The buffer values are written to (for {@link Codec}s, which write their own layouts). */
    CallBuffer buffer() {
        return out;
    }

    void write(Object v, WitType type) {
        // The common values first, by their exact class: on JDK 17 each `instanceof` of an
        // interface that fails (Val, for every plain value) scans the class's interfaces, which
        // cost more than writing the value (JDK-8180450, fixed in JDK 23).
        if (type instanceof WitType.Primitive p) {
            if (!writeExact(v, p)) {
                if (v instanceof Val val) {
                    writeVal(val, type);
                } else {
                    writePlainPrimitive(v, p);
                }
            }
            return;
        }
        if (v != null && v.getClass() != plainClass) {
            if (v instanceof Val val) {
                writeVal(val, type);
                return;
            }
            // Lists and maps of many values are mostly of one class: ask once.
            plainClass = v.getClass();
        }
        if (v == null && !(type instanceof WitType.OptionType)) {
            throw new PlainJava.Mismatch("expected " + type + ", found null");
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
                throw new PlainJava.Mismatch("expected " + type + " with " + t.types().size() + " elements, found "
                        + items.size());
            }
            for (int i = 0; i < items.size(); i++) {
                try {
                    write(items.get(i), t.types().get(i));
                } catch (PlainJava.Mismatch m) {
                    throw m.at("element " + i);
                }
            }
        } else if (type instanceof WitType.VariantType t) {
            if (v instanceof Variant var) {
                writeCase(var.caseName(), Optional.ofNullable(var.payload()), t);
            } else if (v instanceof java.lang.Enum<?> e) {
                writeCase(Names.fromJavaConstant(e.name()), Optional.empty(), t);
            } else {
                throw PlainJava.mismatch(type, v);
            }
        } else if (type instanceof WitType.EnumType t) {
            String name = v instanceof java.lang.Enum<?> e ? Names.fromJavaConstant(e.name())
                    : v instanceof CharSequence cs ? cs.toString() : null;
            if (name == null) {
                throw PlainJava.mismatch(type, v);
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
                throw new PlainJava.Mismatch("expected " + type + " (a java.util.Optional or null), found " + PlainJava.describe(v));
            }
        } else if (type instanceof WitType.ResultType t) {
            if (v instanceof io.github.wasmtimejvm.component.Result<?, ?> r) {
                writeResult(r.isOk(), Optional.ofNullable(r.value()), t);
            } else {
                throw PlainJava.mismatch(type, v);
            }
        } else if (type instanceof WitType.FlagsType t) {
            writePlainFlags(v, t);
        } else if (type instanceof WitType.OwnType t) {
            writeResource(v, t.resource(), t.hostType(), true);
        } else if (type instanceof WitType.BorrowType t) {
            writeResource(v, t.resource(), t.hostType(), false);
        } else {
            throw new PlainJava.Mismatch("values of type " + type
                    + " cannot cross yet (futures, streams, error contexts)");
        }
    }

    // ---- Val ----

    private void writeVal(Val v, WitType type) {
        if (type instanceof WitType.Primitive p) {
            writeValPrimitive(v, p);
        } else if (type instanceof WitType.ListType t) {
            if (!(v instanceof Val.List l)) {
                throw PlainJava.mismatch(type, v);
            }
            out.putInt(l.values().size());
            writeElements(l.values(), t.element());
        } else if (type instanceof WitType.FixedListType t) {
            if (!(v instanceof Val.FixedList l) && !(v instanceof Val.List)) {
                throw PlainJava.mismatch(type, v);
            }
            List<Val> values = v instanceof Val.FixedList f ? f.values() : ((Val.List) v).values();
            if (values.size() != t.size()) {
                throw new PlainJava.Mismatch("expected " + type + " with exactly " + t.size() + " elements, found "
                        + values.size());
            }
            writeElements(values, t.element());
        } else if (type instanceof WitType.MapType t) {
            if (!(v instanceof Val.Map m)) {
                throw PlainJava.mismatch(type, v);
            }
            out.putInt(m.entries().size());
            for (Val.Entry e : m.entries()) {
                try {
                    write(e.key(), t.key());
                } catch (PlainJava.Mismatch x) {
                    throw x.at("map key");
                }
                try {
                    write(e.value(), t.value());
                } catch (PlainJava.Mismatch x) {
                    throw x.at("map value for key " + e.key());
                }
            }
        } else if (type instanceof WitType.RecordType t) {
            if (!(v instanceof Val.Record r)) {
                throw PlainJava.mismatch(type, v);
            }
            for (WitType.Field f : t.fields()) {
                Val fv = r.get(f.name()).orElseThrow(
                        () -> new PlainJava.Mismatch("expected " + type + ", but field `" + f.name() + "` is missing"));
                try {
                    write(fv, f.type());
                } catch (PlainJava.Mismatch x) {
                    throw x.at("field `" + f.name() + "`");
                }
            }
            if (r.fields().size() != t.fields().size()) {
                for (Val.Field f : r.fields()) {
                    if (t.field(f.name()).isEmpty()) {
                        throw new PlainJava.Mismatch("expected " + type + ", which has no field `" + f.name() + "`");
                    }
                }
            }
        } else if (type instanceof WitType.TupleType t) {
            if (!(v instanceof Val.Tuple tu)) {
                throw PlainJava.mismatch(type, v);
            }
            if (tu.values().size() != t.types().size()) {
                throw new PlainJava.Mismatch("expected " + type + ", found a tuple of " + tu.values().size());
            }
            for (int i = 0; i < t.types().size(); i++) {
                try {
                    write(tu.values().get(i), t.types().get(i));
                } catch (PlainJava.Mismatch x) {
                    throw x.at("element " + i);
                }
            }
        } else if (type instanceof WitType.VariantType t) {
            if (!(v instanceof Val.Variant var)) {
                throw PlainJava.mismatch(type, v);
            }
            writeCase(var.caseName(), var.payload().map(p -> (Object) p), t);
        } else if (type instanceof WitType.EnumType t) {
            if (!(v instanceof Val.Enum e)) {
                throw PlainJava.mismatch(type, v);
            }
            writeEnum(e.caseName(), t);
        } else if (type instanceof WitType.OptionType t) {
            if (!(v instanceof Val.Option o)) {
                throw PlainJava.mismatch(type, v);
            }
            if (o.value().isPresent()) {
                out.putByte(1);
                writePayload(o.value().get(), t.type(), "some");
            } else {
                out.putByte(0);
            }
        } else if (type instanceof WitType.ResultType t) {
            if (!(v instanceof Val.Result r)) {
                throw PlainJava.mismatch(type, v);
            }
            writeResult(r.isOk(), r.value().map(p -> (Object) p), t);
        } else if (type instanceof WitType.FlagsType t) {
            if (!(v instanceof Val.Flags f)) {
                throw PlainJava.mismatch(type, v);
            }
            writeFlags(f.names(), t);
        } else if (type instanceof WitType.OwnType t) {
            writeResource(v, t.resource(), t.hostType(), true);
        } else if (type instanceof WitType.BorrowType t) {
            writeResource(v, t.resource(), t.hostType(), false);
        } else {
            throw new PlainJava.Mismatch("values of type " + type
                    + " cannot cross yet (futures, streams, error contexts)");
        }
    }

    private void writeValPrimitive(Val v, WitType.Primitive p) {
        switch (p) {
            case BOOL -> {
                if (!(v instanceof Val.Bool b)) {
                    throw PlainJava.mismatch(p, v);
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
            throw PlainJava.mismatch(p, v);
        }
        return cls.cast(v);
    }

    // ---- plain Java ----

    /**
     * Writes {@code v} when it is the Java class the primitive type is most often given as
     * (Long for s64, Double for f64, String for string, ...) and fits; false when it is another
     * class, which {@link #writePlainPrimitive} then takes with every check.
     */
    private boolean writeExact(Object v, WitType.Primitive p) {
        Class<?> c = v == null ? null : v.getClass();
        switch (p) {
            case S64 -> {
                if (c == Long.class) {
                    out.putLong((Long) v);
                    return true;
                }
            }
            case S32 -> {
                if (c == Integer.class) {
                    out.putInt((Integer) v);
                    return true;
                }
            }
            case U32 -> {
                if (c == Integer.class && (Integer) v >= 0) {
                    out.putInt((Integer) v);
                    return true;
                }
            }
            case F64 -> {
                if (c == Double.class) {
                    out.putLong(Double.doubleToRawLongBits((Double) v));
                    return true;
                }
            }
            case F32 -> {
                if (c == Float.class) {
                    out.putInt(Float.floatToRawIntBits((Float) v));
                    return true;
                }
            }
            case BOOL -> {
                if (c == Boolean.class) {
                    out.putByte((Boolean) v ? 1 : 0);
                    return true;
                }
            }
            case STRING -> {
                if (c == String.class) {
                    putString((String) v);
                    return true;
                }
            }
            default -> {
                return false;
            }
        }
        return false;
    }

    private void writePlainPrimitive(Object v, WitType.Primitive p) {
        switch (p) {
            case BOOL -> {
                if (!(v instanceof Boolean b)) {
                    throw PlainJava.mismatch(p, v);
                }
                out.putByte(b ? 1 : 0);
            }
            case S8 -> out.putByte((int) PlainJava.integral(v, p, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case U8 -> out.putByte((int) PlainJava.integral(v, p, 0, 0xff));
            case S16 -> out.putShort((int) PlainJava.integral(v, p, Short.MIN_VALUE, Short.MAX_VALUE));
            case U16 -> out.putShort((int) PlainJava.integral(v, p, 0, 0xffff));
            case S32 -> out.putInt((int) PlainJava.integral(v, p, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case U32 -> out.putInt((int) PlainJava.integral(v, p, 0, 0xffff_ffffL));
            case S64 -> out.putLong(PlainJava.integral(v, p, Long.MIN_VALUE, Long.MAX_VALUE));
            case U64 -> out.putLong(PlainJava.unsigned64(v));
            case F32 -> out.putInt(Float.floatToRawIntBits(PlainJava.toFloat(v)));
            case F64 -> out.putLong(Double.doubleToRawLongBits(PlainJava.toDouble(v)));
            case CHAR -> out.putInt(PlainJava.codePoint(v));
            case STRING -> {
                if (!(v instanceof CharSequence cs)) {
                    throw PlainJava.mismatch(p, v);
                }
                putString(cs.toString());
            }
        }
    }

    /** Writes a string, which must be Unicode scalar values (see {@link PlainJava#checkString}). */
    void putString(String s) {
        PlainJava.checkString(s);
        out.putString(s);
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
            throw new PlainJava.Mismatch("expected " + type + " with exactly " + fixedSize + " elements, found " + size);
        }
    }

    private void writeElements(List<?> items, WitType element) {
        for (int i = 0; i < items.size(); i++) {
            try {
                write(items.get(i), element);
            } catch (PlainJava.Mismatch m) {
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
        throw PlainJava.mismatch(type, v);
    }

    private void writePlainMap(Object v, WitType.MapType t) {
        Collection<? extends Map.Entry<?, ?>> entries;
        if (v instanceof Map<?, ?> m) {
            entries = m.entrySet();
        } else {
            throw PlainJava.mismatch(t, v);
        }
        out.putInt(entries.size());
        for (Map.Entry<?, ?> e : entries) {
            try {
                write(e.getKey(), t.key());
            } catch (PlainJava.Mismatch x) {
                throw x.at("map key");
            }
            try {
                write(e.getValue(), t.value());
            } catch (PlainJava.Mismatch x) {
                throw x.at("map value for key " + e.getKey());
            }
        }
    }

    private void writePlainRecord(Object v, WitType.RecordType t) {
        if (v instanceof List<?> values) {
            List<WitType.Field> fields = t.fields();
            if (values.size() != fields.size()) {
                throw new PlainJava.Mismatch("expected " + t + " (as a List, one value per field in order: "
                        + fields.size() + "), found a List of " + values.size());
            }
            for (int i = 0; i < fields.size(); i++) {
                writeField(values.get(i), fields.get(i));
            }
            return;
        }
        if (v instanceof Map<?, ?> m) {
            for (WitType.Field f : t.fields()) {
                // One lookup for a field that is there (a null value or another key spelling
                // costs the rest).
                Object fv = m.get(f.name());
                if (fv == null && !m.containsKey(f.name())) {
                    String member = Names.toJavaMember(f.name());
                    fv = m.get(member);
                    if (fv == null && !m.containsKey(member)) {
                        throw new PlainJava.Mismatch("expected " + t + ", but the map has no key `" + f.name() + "`");
                    }
                }
                writeField(fv, f);
            }
            return;
        }
        if (v instanceof java.lang.Record r) {
            RecordComponent[] comps = r.getClass().getRecordComponents();
            for (WitType.Field f : t.fields()) {
                RecordComponent c = Names.component(comps, f.name());
                if (c == null) {
                    throw new PlainJava.Mismatch("expected " + t + ", but " + r.getClass().getSimpleName()
                            + " has no component for field `" + f.name() + "` (expected `"
                            + Names.toJavaMember(f.name()) + "`)");
                }
                Object fv;
                try {
                    c.getAccessor().setAccessible(true);
                    fv = c.getAccessor().invoke(r);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new PlainJava.Mismatch("cannot read " + r.getClass().getSimpleName() + "." + c.getName() + ": " + e);
                }
                try {
                    write(fv, f.type());
                } catch (PlainJava.Mismatch x) {
                    throw x.at("field `" + f.name() + "`");
                }
            }
            return;
        }
        throw new PlainJava.Mismatch("expected " + t + " (a Java record, a Map or a List), found " + PlainJava.describe(v));
    }

    private void writeField(Object v, WitType.Field f) {
        try {
            write(v, f.type());
        } catch (PlainJava.Mismatch x) {
            throw x.at("field `" + f.name() + "`");
        }
    }

    private void writePlainFlags(Object v, WitType.FlagsType t) {
        if (!(v instanceof Collection<?> c)) {
            throw new PlainJava.Mismatch("expected " + t + " (a Set of flag names), found " + PlainJava.describe(v));
        }
        List<String> names = new ArrayList<>(c.size());
        for (Object o : c) {
            if (o instanceof CharSequence cs) {
                names.add(cs.toString());
            } else if (o instanceof java.lang.Enum<?> e) {
                names.add(Names.fromJavaConstant(e.name()));
            } else {
                throw new PlainJava.Mismatch("expected flag names in " + t + ", found " + PlainJava.describe(o));
            }
        }
        writeFlags(names, t);
    }

    // ---- shared ----

    private void writeCase(String name, Optional<Object> payload, WitType.VariantType t) {
        int index = t.indexOf(name);
        if (index < 0) {
            throw new PlainJava.Mismatch("`" + name + "` is not a case of " + t);
        }
        WitType.Case c = t.cases().get(index);
        out.putInt(index);
        if (c.type() == null) {
            if (payload.isPresent()) {
                throw new PlainJava.Mismatch("case `" + name + "` of " + t + " has no payload, but one was given");
            }
        } else {
            writePayload(payload.orElseThrow(
                    () -> new PlainJava.Mismatch("case `" + name + "` of " + t + " needs a payload of type " + c.type())),
                    c.type(), "case `" + name + "`");
        }
    }

    private void writeEnum(String name, WitType.EnumType t) {
        int index = t.names().indexOf(name);
        if (index < 0) {
            throw new PlainJava.Mismatch("`" + name + "` is not a case of " + t);
        }
        out.putInt(index);
    }

    private void writeResult(boolean ok, Optional<Object> payload, WitType.ResultType t) {
        WitType side = ok ? t.ok() : t.err();
        String label = ok ? "ok" : "err";
        out.putByte(ok ? 0 : 1);
        if (side == null) {
            if (payload.isPresent()) {
                throw new PlainJava.Mismatch(label + " of " + t + " has no payload, but one was given");
            }
        } else {
            writePayload(payload.orElseThrow(
                    () -> new PlainJava.Mismatch(label + " of " + t + " needs a payload of type " + side)), side, label);
        }
    }

    private void writePayload(Object payload, WitType type, String where) {
        try {
            write(payload, type);
        } catch (PlainJava.Mismatch m) {
            throw m.at(where);
        }
    }

    private void writeFlags(Collection<String> names, WitType.FlagsType t) {
        int words = (t.names().size() + 31) / 32;
        int[] bits = new int[words];
        for (String n : names) {
            int i = t.names().indexOf(n);
            if (i < 0) {
                throw new PlainJava.Mismatch("`" + n + "` is not a flag of " + t);
            }
            bits[i / 32] |= 1 << (i % 32);
        }
        for (int w : bits) {
            out.putInt(w);
        }
    }

    void writeResource(Object v, String typeName, int hostType, boolean own) {
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
                throw new PlainJava.Mismatch("expected an owned " + typeName + " (Val.Own), found a borrow");
            }
            r = b.resource();
        } else {
            throw new PlainJava.Mismatch("expected " + (own ? "" : "borrow<") + typeName + (own ? "" : ">")
                    + " (a Resource), found " + PlainJava.describe(v));
        }
        if (r.store() != store) {
            throw new PlainJava.Mismatch("the resource belongs to a different Store");
        }
        long id;
        try {
            id = r.id();
        } catch (IllegalStateException e) {
            throw new PlainJava.Mismatch(e.getMessage());
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
            throw new PlainJava.Mismatch("expected " + (own ? "" : "borrow<") + typeName + (own ? "" : ">")
                    + " (a host object of " + t + "), found " + PlainJava.describe(v));
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
}
