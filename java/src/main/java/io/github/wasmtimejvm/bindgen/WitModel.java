package io.github.wasmtimejvm.bindgen;

import io.github.wasmtimejvm.internal.NativeLibrary;
import io.github.wasmtimejvm.wit.WitPackage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A world as the generator reads it: wit-parser's own {@code Resolve} (the JSON form {@code
 * wasm-tools component wit --json} prints), described by the native library for one world of a
 * package, read into records. Items refer to each other by their index in the resolve's arenas.
 */
final class WitModel {

    static {
        NativeLibrary.load();
    }

    private final int packageIndex;
    private final int worldIndex;
    private final List<World> worlds;
    private final List<Iface> interfaces;
    private final List<TypeDef> types;
    private final List<Pkg> packages;

    private WitModel(
            int packageIndex,
            int worldIndex,
            List<World> worlds,
            List<Iface> interfaces,
            List<TypeDef> types,
            List<Pkg> packages) {
        this.packageIndex = packageIndex;
        this.worldIndex = worldIndex;
        this.worlds = worlds;
        this.interfaces = interfaces;
        this.types = types;
        this.packages = packages;
    }

    /** The index of the package the world belongs to. */
    int packageIndex() {
        return packageIndex;
    }

    /** Every interface of the resolve, by index. */
    List<Iface> interfaces() {
        return interfaces;
    }

    /** Every type definition of the resolve, by index. */
    List<TypeDef> types() {
        return types;
    }

    /** Every package of the resolve, by index. */
    List<Pkg> packages() {
        return packages;
    }

    /** The world this model was described for. */
    World world() {
        return worlds.get(worldIndex);
    }

    /** A reference to a type: a primitive by its WIT name, or a type definition by index. */
    sealed interface TypeRef permits Prim, Id {}

    /** {@code u32}, {@code string}, {@code error-context}, ... */
    record Prim(String name) implements TypeRef {}

    /** The type definition at {@code index}. */
    record Id(int index) implements TypeRef {}

    /** What a type definition is. */
    sealed interface Kind
            permits RecordK,
                    ResourceK,
                    HandleK,
                    FlagsK,
                    TupleK,
                    VariantK,
                    EnumK,
                    OptionK,
                    ResultK,
                    ListK,
                    MapK,
                    FixedListK,
                    FutureK,
                    StreamK,
                    AliasK,
                    UnknownK {}

    /** A field of a record, or a case of a variant (type null for no payload). */
    record Field(String name, TypeRef type, String docs) {}

    /** A case of an enum, or a flag. */
    record Named(String name, String docs) {}

    /** {@code record}. */
    record RecordK(List<Field> fields) implements Kind {}

    /** {@code resource}. */
    record ResourceK() implements Kind {}

    /** {@code own<r>} or {@code borrow<r>}. */
    record HandleK(boolean own, int resource) implements Kind {}

    /** {@code flags}. */
    record FlagsK(List<Named> flags) implements Kind {}

    /** {@code tuple<...>}. */
    record TupleK(List<TypeRef> types) implements Kind {}

    /** {@code variant}. */
    record VariantK(List<Field> cases) implements Kind {}

    /** {@code enum}. */
    record EnumK(List<Named> cases) implements Kind {}

    /** {@code option<t>}. */
    record OptionK(TypeRef type) implements Kind {}

    /** {@code result<ok, err>}, either side null when missing. */
    record ResultK(TypeRef ok, TypeRef err) implements Kind {}

    /** {@code list<t>}. */
    record ListK(TypeRef type) implements Kind {}

    /** {@code map<k, v>}. */
    record MapK(TypeRef key, TypeRef value) implements Kind {}

    /** {@code list<t, n>}. */
    record FixedListK(TypeRef type, long length) implements Kind {}

    /** {@code future<t>} (type null for none). */
    record FutureK(TypeRef type) implements Kind {}

    /** {@code stream<t>} (type null for none). */
    record StreamK(TypeRef type) implements Kind {}

    /** {@code type x = t}, and every {@code use}d name. */
    record AliasK(TypeRef type) implements Kind {}

    /** A type wit-parser could not know. */
    record UnknownK() implements Kind {}

    /**
     * A type definition; name null for anonymous ones; owner a world or interface index (-1 for
     * none).
     */
    record TypeDef(int index, String name, Kind kind, boolean ownedByWorld, int owner, String docs) {}

    /** A parameter. */
    record Param(String name, TypeRef type) {}

    /** A function: kind is freestanding, method, static or constructor (async forms too). */
    record Function(
            String name, String kind, int resource, List<Param> params, TypeRef result, String docs) {}

    /** An interface; name null for one declared inline in a world. */
    record Iface(int index, String name, Map<String, Integer> types, List<Function> functions, String docs, int pkg) {}

    /** An item a world imports or exports: an interface, a function or a type. */
    record WorldItem(String key, int iface, Function function, int type, String docs) {}

    /** A world. */
    record World(String name, List<WorldItem> imports, List<WorldItem> exports, String docs, int pkg) {}

    /** A package, by its name ({@code ns:name@version}). */
    record Pkg(String name) {}

    /** The world {@code world} of {@code pkg}, described by the native library. */
    static WitModel of(WitPackage pkg, String world) {
        byte[] json = describe0(pkg.toBinary(), world);
        return read(new String(json, StandardCharsets.UTF_8));
    }

    /** Reads the native description. */
    @SuppressWarnings("unchecked")
    static WitModel read(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        Map<String, Object> resolve = obj(root.get("resolve"));
        List<World> worlds = new ArrayList<>();
        for (Object w : list(resolve.get("worlds"))) {
            Map<String, Object> m = obj(w);
            worlds.add(new World(
                    str(m.get("name")),
                    items(obj(m.get("imports"))),
                    items(obj(m.get("exports"))),
                    docs(m),
                    intOr(m.get("package"), -1)));
        }
        List<Iface> ifaces = new ArrayList<>();
        for (Object i : list(resolve.get("interfaces"))) {
            Map<String, Object> m = obj(i);
            Map<String, Integer> types = new LinkedHashMap<>();
            obj(m.get("types")).forEach((k, v) -> types.put(k, (int) (long) (Long) v));
            List<Function> functions = new ArrayList<>();
            obj(m.get("functions")).values().forEach(f -> functions.add(function(obj(f))));
            ifaces.add(new Iface(
                    ifaces.size(), (String) m.get("name"), types, functions, docs(m),
                    intOr(m.get("package"), -1)));
        }
        List<TypeDef> types = new ArrayList<>();
        for (Object t : list(resolve.get("types"))) {
            Map<String, Object> m = obj(t);
            Object owner = m.get("owner");
            boolean byWorld = false;
            int ownerIndex = -1;
            if (owner instanceof Map<?, ?> o) {
                Map<String, Object> om = (Map<String, Object>) o;
                if (om.containsKey("world")) {
                    byWorld = true;
                    ownerIndex = intOr(om.get("world"), -1);
                } else {
                    ownerIndex = intOr(om.get("interface"), -1);
                }
            }
            types.add(new TypeDef(
                    types.size(), (String) m.get("name"), kind(m.get("kind")), byWorld, ownerIndex,
                    docs(m)));
        }
        List<Pkg> packages = new ArrayList<>();
        for (Object p : list(resolve.get("packages"))) {
            packages.add(new Pkg(str(obj(p).get("name"))));
        }
        return new WitModel(
                intOr(root.get("package"), -1), intOr(root.get("world"), -1), worlds, ifaces, types,
                packages);
    }

    private static List<WorldItem> items(Map<String, Object> m) {
        List<WorldItem> out = new ArrayList<>();
        m.forEach((key, v) -> {
            Map<String, Object> item = obj(v);
            if (item.containsKey("interface")) {
                Map<String, Object> i = obj(item.get("interface"));
                out.add(new WorldItem(key, intOr(i.get("id"), -1), null, -1, docs(i)));
            } else if (item.containsKey("function")) {
                out.add(new WorldItem(key, -1, function(obj(item.get("function"))), -1, null));
            } else if (item.containsKey("type")) {
                out.add(new WorldItem(key, -1, null, intOr(item.get("type"), -1), null));
            } else {
                throw new IllegalStateException("unknown world item " + item.keySet());
            }
        });
        return out;
    }

    private static Function function(Map<String, Object> m) {
        Object kind = m.get("kind");
        String k;
        int resource = -1;
        if (kind instanceof String s) {
            k = s;
        } else {
            Map<String, Object> km = obj(kind);
            k = km.keySet().iterator().next();
            resource = intOr(km.get(k), -1);
        }
        List<Param> params = new ArrayList<>();
        for (Object p : list(m.get("params"))) {
            Map<String, Object> pm = obj(p);
            params.add(new Param((String) pm.getOrDefault("name", ""), type(pm.get("type"))));
        }
        Object result = m.get("result");
        return new Function(
                str(m.get("name")), k, resource, params, result == null ? null : type(result), docs(m));
    }

    private static Kind kind(Object k) {
        if (k instanceof String s) {
            return switch (s) {
                case "resource" -> new ResourceK();
                default -> new UnknownK();
            };
        }
        Map<String, Object> m = obj(k);
        String tag = m.keySet().iterator().next();
        Object v = m.get(tag);
        return switch (tag) {
            case "record" -> new RecordK(fields(list(obj(v).get("fields"))));
            case "handle" -> {
                Map<String, Object> h = obj(v);
                boolean own = h.containsKey("own");
                yield new HandleK(own, intOr(h.get(own ? "own" : "borrow"), -1));
            }
            case "flags" -> new FlagsK(named(list(obj(v).get("flags"))));
            case "tuple" -> {
                List<TypeRef> ts = new ArrayList<>();
                for (Object t : list(obj(v).get("types"))) {
                    ts.add(type(t));
                }
                yield new TupleK(ts);
            }
            case "variant" -> new VariantK(fields(list(obj(v).get("cases"))));
            case "enum" -> new EnumK(named(list(obj(v).get("cases"))));
            case "option" -> new OptionK(type(v));
            case "result" -> {
                Map<String, Object> r = obj(v);
                Object ok = r.get("ok");
                Object err = r.get("err");
                yield new ResultK(ok == null ? null : type(ok), err == null ? null : type(err));
            }
            case "list" -> new ListK(type(v));
            case "map" -> new MapK(type(list(v).get(0)), type(list(v).get(1)));
            case "fixed-length-list" -> new FixedListK(type(list(v).get(0)), (Long) list(v).get(1));
            case "future" -> new FutureK(v == null ? null : type(v));
            case "stream" -> new StreamK(v == null ? null : type(v));
            case "type" -> new AliasK(type(v));
            default -> new UnknownK();
        };
    }

    private static List<Field> fields(List<Object> l) {
        List<Field> out = new ArrayList<>();
        for (Object f : l) {
            Map<String, Object> m = obj(f);
            Object t = m.get("type");
            out.add(new Field(str(m.get("name")), t == null ? null : type(t), docs(m)));
        }
        return out;
    }

    private static List<Named> named(List<Object> l) {
        List<Named> out = new ArrayList<>();
        for (Object f : l) {
            Map<String, Object> m = obj(f);
            out.add(new Named(str(m.get("name")), docs(m)));
        }
        return out;
    }

    private static TypeRef type(Object t) {
        if (t instanceof String s) {
            return new Prim(s);
        }
        if (t instanceof Long l) {
            return new Id((int) (long) l);
        }
        throw new IllegalStateException("not a type: " + t);
    }

    private static String docs(Map<String, Object> m) {
        Object d = m.get("docs");
        if (d instanceof Map<?, ?> dm && dm.get("contents") instanceof String s) {
            return s;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalStateException("not an object: " + o);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalStateException("not an array: " + o);
    }

    private static String str(Object o) {
        if (o instanceof String s) {
            return s;
        }
        throw new IllegalStateException("not a string: " + o);
    }

    private static int intOr(Object o, int dflt) {
        return o instanceof Long l ? (int) (long) l : dflt;
    }

    private static native byte[] describe0(byte[] encoded, String world);
}
