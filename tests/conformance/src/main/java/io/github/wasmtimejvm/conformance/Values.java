package io.github.wasmtimejvm.conformance;

import io.github.wasmtimejvm.component.Val;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Values of the JSON scripts: building {@link Val} arguments and matching results exactly.
 *
 * <p>Matching follows wasmtime's own runner: the kind must be the one written, integers and
 * strings equal, floats equal bit for bit (a NaN pattern, {@code nan:canonical} or {@code
 * nan:arithmetic}, accepts the NaNs it describes), records field by field in order, flags as
 * sets. A {@code list.const} also matches a fixed-length list, since the text format has no other
 * way to write one.
 */
final class Values {

    private Values() {}

    /** Thrown for a JSON value the runner does not understand (a bug in the script, not a pass). */
    static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadValue(String message) {
            super(message);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        if (!(o instanceof Map)) {
            throw new BadValue("expected a JSON object, found " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> arr(Object o) {
        if (!(o instanceof List)) {
            throw new BadValue("expected a JSON array, found " + o);
        }
        return (List<Object>) o;
    }

    private static BigInteger integer(Map<String, Object> v, String key) {
        Object o = v.get(key);
        if (!(o instanceof BigInteger b)) {
            throw new BadValue("expected an integer `" + key + "` in " + v);
        }
        return b;
    }

    private static String str(Map<String, Object> v, String key) {
        Object o = v.get(key);
        if (!(o instanceof String s)) {
            throw new BadValue("expected a string `" + key + "` in " + v);
        }
        return s;
    }

    private static Optional<Val> payload(Object o) {
        return o == null ? Optional.empty() : Optional.of(toVal(o));
    }

    /** The {@link Val} a JSON value stands for. */
    static Val toVal(Object json) {
        Map<String, Object> v = obj(json);
        String kind = str(v, "kind");
        switch (kind) {
            case "bool":
                return Val.bool((Boolean) v.get("value"));
            case "u8":
                return Val.u8(integer(v, "value").intValueExact());
            case "s8":
                return Val.s8(integer(v, "value").byteValueExact());
            case "u16":
                return Val.u16(integer(v, "value").intValueExact());
            case "s16":
                return Val.s16(integer(v, "value").shortValueExact());
            case "u32":
                return new Val.U32(integer(v, "value").longValueExact());
            case "s32":
                return new Val.S32(integer(v, "value").intValueExact());
            case "u64":
                return Val.U64.of(integer(v, "value"));
            case "s64":
                return new Val.S64(integer(v, "value").longValueExact());
            case "f32":
                if (v.containsKey("nan")) {
                    throw new BadValue("a NaN pattern is not an argument: " + v);
                }
                return new Val.F32(Float.intBitsToFloat(integer(v, "bits").intValue()));
            case "f64":
                if (v.containsKey("nan")) {
                    throw new BadValue("a NaN pattern is not an argument: " + v);
                }
                return new Val.F64(Double.longBitsToDouble(integer(v, "bits").longValue()));
            case "char":
                return new Val.Char(integer(v, "value").intValueExact());
            case "string":
                return new Val.Str(str(v, "value"));
            case "list": {
                List<Val> out = new ArrayList<>();
                for (Object e : arr(v.get("values"))) {
                    out.add(toVal(e));
                }
                return new Val.List(out);
            }
            case "tuple": {
                List<Val> out = new ArrayList<>();
                for (Object e : arr(v.get("values"))) {
                    out.add(toVal(e));
                }
                return new Val.Tuple(out);
            }
            case "map": {
                List<Val.Entry> out = new ArrayList<>();
                for (Object e : arr(v.get("entries"))) {
                    List<Object> kv = arr(e);
                    out.add(new Val.Entry(toVal(kv.get(0)), toVal(kv.get(1))));
                }
                return new Val.Map(out);
            }
            case "record": {
                List<Val.Field> out = new ArrayList<>();
                for (Object f : arr(v.get("fields"))) {
                    Map<String, Object> field = obj(f);
                    out.add(new Val.Field(str(field, "name"), toVal(field.get("value"))));
                }
                return new Val.Record(out);
            }
            case "variant":
                return new Val.Variant(str(v, "case"), payload(v.get("payload")));
            case "enum":
                return new Val.Enum(str(v, "case"));
            case "option":
                return new Val.Option(payload(v.get("value")));
            case "result":
                return new Val.Result((Boolean) v.get("ok"), payload(v.get("value")));
            case "flags": {
                List<String> names = new ArrayList<>();
                for (Object n : arr(v.get("names"))) {
                    names.add((String) n);
                }
                return Val.flags(names.toArray(new String[0]));
            }
            default:
                throw new BadValue("unknown value kind `" + kind + "`");
        }
    }

    /** Null when {@code actual} matches {@code expected}, otherwise what differs. */
    static String mismatch(Object expectedJson, Val actual) {
        Map<String, Object> e = obj(expectedJson);
        String kind = str(e, "kind");
        String found = actual.kind();
        switch (kind) {
            case "f32": {
                if (!(actual instanceof Val.F32 f)) {
                    return kindMismatch(kind, actual);
                }
                int bits = Float.floatToRawIntBits(f.value());
                Object nan = e.get("nan");
                if ("canonical".equals(nan)) {
                    return (bits & 0x7fff_ffff) == 0x7fc0_0000 ? null
                            : String.format("expected canonical NaN, got %s (bits 0x%08x)", f.value(), bits);
                }
                if ("arithmetic".equals(nan)) {
                    return (bits & 0x7fc0_0000) == 0x7fc0_0000 ? null
                            : String.format("expected arithmetic NaN, got %s (bits 0x%08x)", f.value(), bits);
                }
                int want = integer(e, "bits").intValue();
                return bits == want ? null
                        : String.format("expected %s (bits 0x%08x), got %s (bits 0x%08x)",
                                Float.intBitsToFloat(want), want, f.value(), bits);
            }
            case "f64": {
                if (!(actual instanceof Val.F64 f)) {
                    return kindMismatch(kind, actual);
                }
                long bits = Double.doubleToRawLongBits(f.value());
                Object nan = e.get("nan");
                if ("canonical".equals(nan)) {
                    return (bits & 0x7fff_ffff_ffff_ffffL) == 0x7ff8_0000_0000_0000L ? null
                            : String.format("expected canonical NaN, got %s (bits 0x%016x)", f.value(), bits);
                }
                if ("arithmetic".equals(nan)) {
                    return (bits & 0x7ff8_0000_0000_0000L) == 0x7ff8_0000_0000_0000L ? null
                            : String.format("expected arithmetic NaN, got %s (bits 0x%016x)", f.value(), bits);
                }
                long want = integer(e, "bits").longValue();
                return bits == want ? null
                        : String.format("expected %s (bits 0x%016x), got %s (bits 0x%016x)",
                                Double.longBitsToDouble(want), want, f.value(), bits);
            }
            case "list": {
                List<Val> values;
                if (actual instanceof Val.List l) {
                    values = l.values();
                } else if (actual instanceof Val.FixedList l) {
                    values = l.values();
                } else {
                    return kindMismatch(kind, actual);
                }
                return sequence("list element", arr(e.get("values")), values);
            }
            case "tuple": {
                if (!(actual instanceof Val.Tuple t)) {
                    return kindMismatch(kind, actual);
                }
                return sequence("tuple element", arr(e.get("values")), t.values());
            }
            case "map": {
                if (!(actual instanceof Val.Map m)) {
                    return kindMismatch(kind, actual);
                }
                List<Object> entries = arr(e.get("entries"));
                if (entries.size() != m.entries().size()) {
                    return "expected " + entries.size() + " map entries, got " + m.entries().size();
                }
                for (int i = 0; i < entries.size(); i++) {
                    List<Object> kv = arr(entries.get(i));
                    String d = mismatch(kv.get(0), m.entries().get(i).key());
                    if (d == null) {
                        d = mismatch(kv.get(1), m.entries().get(i).value());
                    }
                    if (d != null) {
                        return "map entry " + i + ": " + d;
                    }
                }
                return null;
            }
            case "record": {
                if (!(actual instanceof Val.Record r)) {
                    return kindMismatch(kind, actual);
                }
                List<Object> fields = arr(e.get("fields"));
                if (fields.size() != r.fields().size()) {
                    return "expected " + fields.size() + " record fields, got " + r.fields().size();
                }
                for (int i = 0; i < fields.size(); i++) {
                    Map<String, Object> f = obj(fields.get(i));
                    Val.Field a = r.fields().get(i);
                    if (!str(f, "name").equals(a.name())) {
                        return "expected field `" + f.get("name") + "`, got `" + a.name() + "`";
                    }
                    String d = mismatch(f.get("value"), a.value());
                    if (d != null) {
                        return "field `" + a.name() + "`: " + d;
                    }
                }
                return null;
            }
            case "variant": {
                if (!(actual instanceof Val.Variant v)) {
                    return kindMismatch(kind, actual);
                }
                if (!str(e, "case").equals(v.caseName())) {
                    return "expected case `" + e.get("case") + "`, got `" + v.caseName() + "`";
                }
                return payloadMismatch(v.caseName(), e.get("payload"), v.payload());
            }
            case "enum": {
                if (!(actual instanceof Val.Enum v)) {
                    return kindMismatch(kind, actual);
                }
                return str(e, "case").equals(v.caseName()) ? null
                        : "expected case `" + e.get("case") + "`, got `" + v.caseName() + "`";
            }
            case "option": {
                if (!(actual instanceof Val.Option o)) {
                    return kindMismatch(kind, actual);
                }
                return payloadMismatch("some", e.get("value"), o.value());
            }
            case "result": {
                if (!(actual instanceof Val.Result r)) {
                    return kindMismatch(kind, actual);
                }
                boolean ok = (Boolean) e.get("ok");
                if (ok != r.isOk()) {
                    return "expected `" + (ok ? "ok" : "err") + "`, got " + r;
                }
                return payloadMismatch(ok ? "ok" : "err", e.get("value"), r.value());
            }
            case "flags": {
                if (!(actual instanceof Val.Flags f)) {
                    return kindMismatch(kind, actual);
                }
                Set<String> want = new HashSet<>();
                for (Object n : arr(e.get("names"))) {
                    want.add((String) n);
                }
                return want.equals(new HashSet<>(f.names())) ? null : "expected flags " + want + ", got " + f;
            }
            default: {
                // Scalars and strings: build the expected Val and compare (records compare by value).
                Val want = toVal(e);
                if (!want.kind().equals(found)) {
                    return kindMismatch(kind, actual);
                }
                return want.equals(actual) ? null : "expected " + want + ", got " + actual;
            }
        }
    }

    private static String sequence(String what, List<Object> expected, List<Val> actual) {
        if (expected.size() != actual.size()) {
            return "expected " + expected.size() + " values, got " + actual.size();
        }
        for (int i = 0; i < expected.size(); i++) {
            String d = mismatch(expected.get(i), actual.get(i));
            if (d != null) {
                return what + " " + i + ": " + d;
            }
        }
        return null;
    }

    private static String payloadMismatch(String name, Object expected, Optional<Val> actual) {
        if (expected == null && actual.isEmpty()) {
            return null;
        }
        if (expected == null) {
            return "unexpected payload for `" + name + "`: " + actual.get();
        }
        if (actual.isEmpty()) {
            return "expected a payload for `" + name + "`";
        }
        String d = mismatch(expected, actual.get());
        return d == null ? null : "`" + name + "`: " + d;
    }

    private static String kindMismatch(String expected, Val actual) {
        return "expected a `" + expected + "`, got a `" + actual.kind() + "`: " + actual;
    }

    /** The JSON value in WAVE-like text, for messages. */
    static String show(Object json) {
        try {
            Map<String, Object> v = obj(json);
            if (v.containsKey("nan")) {
                return "nan:" + v.get("nan");
            }
            return toVal(v).toString();
        } catch (RuntimeException ex) {
            return String.valueOf(json);
        }
    }
}
