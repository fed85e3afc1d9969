package io.github.wasmtimejvm.internal;

import io.github.wasmtimejvm.wit.ComponentType;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.ItemType;
import io.github.wasmtimejvm.wit.NamedItem;
import io.github.wasmtimejvm.wit.WitType;
import io.github.wasmtimejvm.wit.WorldCheck;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the type descriptions the native side writes (see {@code native/src/jni/type_codec.rs},
 * which defines the tags) into the {@code wit} model.
 */
public final class TypeReader {
    private static final WitType.Primitive[] PRIMITIVES = WitType.Primitive.values();

    private final ByteBuffer in;

    private TypeReader(byte[] bytes) {
        this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A function type. */
    public static FuncType funcType(byte[] bytes) {
        return new TypeReader(bytes).readFunc();
    }

    /** A component's imports and exports. */
    public static ComponentType componentType(byte[] bytes) {
        TypeReader r = new TypeReader(bytes);
        return new ComponentType(r.readItems(), r.readItems());
    }

    /** A list of named items (the exports of an instance). */
    public static List<NamedItem> items(byte[] bytes) {
        return new TypeReader(bytes).readItems();
    }

    /** What a WIT package shows: its name, worlds, interfaces and WIT text. */
    public record PackageDescription(
            String name, Map<String, ComponentType> worlds, List<NamedItem> interfaces, String wit) {}

    /** A package description (see {@code type_codec::wit_package}). */
    public static PackageDescription witPackage(byte[] bytes) {
        TypeReader r = new TypeReader(bytes);
        String name = r.readString();
        int n = r.in.getInt();
        Map<String, ComponentType> worlds = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String world = r.readString();
            worlds.put(world, new ComponentType(r.readItems(), r.readItems()));
        }
        List<NamedItem> interfaces = r.readItems();
        String wit = r.readString();
        return new PackageDescription(name, Collections.unmodifiableMap(worlds), interfaces, wit);
    }

    /** The mismatches of a component against a world (see {@code type_codec::mismatches}). */
    public static List<WorldCheck.Mismatch> mismatches(byte[] bytes) {
        TypeReader r = new TypeReader(bytes);
        int n = r.in.getInt();
        WorldCheck.Kind[] kinds = WorldCheck.Kind.values();
        List<WorldCheck.Mismatch> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            WorldCheck.Kind kind = kinds[r.in.get()];
            String name = r.readString();
            String expected = r.in.get() == 0 ? null : r.readString();
            String found = r.in.get() == 0 ? null : r.readString();
            out.add(new WorldCheck.Mismatch(kind, name, expected, found));
        }
        return List.copyOf(out);
    }

    private String readString() {
        int n = in.getInt();
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private List<String> readStrings() {
        int n = in.getInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(readString());
        }
        return out;
    }

    private WitType readOptionalType() {
        return in.get() == 0 ? null : readType();
    }

    private WitType readType() {
        int tag = in.get() & 0xff;
        if (tag < PRIMITIVES.length) {
            return PRIMITIVES[tag];
        }
        switch (tag) {
            case 13:
                return new WitType.ListType(readType());
            case 14: {
                WitType e = readType();
                return new WitType.FixedListType(e, in.getInt());
            }
            case 15: {
                WitType k = readType();
                return new WitType.MapType(k, readType());
            }
            case 16: {
                int n = in.getInt();
                List<WitType.Field> fields = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String name = readString();
                    fields.add(new WitType.Field(name, readType()));
                }
                return new WitType.RecordType(fields);
            }
            case 17: {
                int n = in.getInt();
                List<WitType> types = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    types.add(readType());
                }
                return new WitType.TupleType(types);
            }
            case 18: {
                int n = in.getInt();
                List<WitType.Case> cases = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String name = readString();
                    cases.add(new WitType.Case(name, readOptionalType()));
                }
                return new WitType.VariantType(cases);
            }
            case 19:
                return new WitType.EnumType(readStrings());
            case 20:
                return new WitType.OptionType(readType());
            case 21: {
                WitType ok = readOptionalType();
                return new WitType.ResultType(ok, readOptionalType());
            }
            case 22:
                return new WitType.FlagsType(readStrings());
            case 23: {
                String name = readString();
                return new WitType.OwnType(name, in.getInt());
            }
            case 24: {
                String name = readString();
                return new WitType.BorrowType(name, in.getInt());
            }
            case 25:
                return new WitType.FutureType(readOptionalType());
            case 26:
                return new WitType.StreamType(readOptionalType());
            case 27:
                return new WitType.ErrorContextType();
            default:
                throw new IllegalStateException("unknown type tag " + tag);
        }
    }

    private FuncType readFunc() {
        int n = in.getInt();
        List<FuncType.Param> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = readString();
            params.add(new FuncType.Param(name, readType()));
        }
        int r = in.getInt();
        List<WitType> results = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            results.add(readType());
        }
        boolean isAsync = in.get() != 0;
        return new FuncType(params, results, isAsync);
    }

    private List<NamedItem> readItems() {
        int n = in.getInt();
        List<NamedItem> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = readString();
            out.add(new NamedItem(name, readItem()));
        }
        return out;
    }

    private ItemType readItem() {
        int tag = in.get() & 0xff;
        switch (tag) {
            case 0:
                return new ItemType.Func(readFunc());
            case 1:
                return new ItemType.CoreFunc(readString());
            case 2: {
                int n = in.getInt();
                List<ItemType.ModuleImport> imports = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    imports.add(new ItemType.ModuleImport(readString(), readString(), readString()));
                }
                int m = in.getInt();
                List<ItemType.ModuleExport> exports = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    exports.add(new ItemType.ModuleExport(readString(), readString()));
                }
                return new ItemType.Module(imports, exports);
            }
            case 3: {
                List<NamedItem> imports = readItems();
                return new ItemType.Component(new ComponentType(imports, readItems()));
            }
            case 4:
                return new ItemType.Instance(readItems());
            case 5:
                return new ItemType.Type(readType());
            case 6:
                return new ItemType.Resource(readString());
            default:
                throw new IllegalStateException("unknown item tag " + tag);
        }
    }
}
