package io.github.wasmtimejvm.wit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A component-model value type, as WIT spells it.
 *
 * <p>Primitive types are the constants of {@link Primitive}; every compound type is a record of
 * this interface. {@code toString()} prints the type in WIT syntax, for example
 * {@code list<u32>}, {@code result<string, u32>} or {@code record { x: s32, y: s32 }}.
 */
public sealed interface WitType
        permits WitType.Primitive,
                WitType.ListType,
                WitType.FixedListType,
                WitType.MapType,
                WitType.RecordType,
                WitType.TupleType,
                WitType.VariantType,
                WitType.EnumType,
                WitType.OptionType,
                WitType.ResultType,
                WitType.FlagsType,
                WitType.OwnType,
                WitType.BorrowType,
                WitType.FutureType,
                WitType.StreamType,
                WitType.ErrorContextType {

    /** The types without structure: numbers, {@code bool}, {@code char} and {@code string}. */
    enum Primitive implements WitType {
        BOOL("bool"),
        S8("s8"),
        U8("u8"),
        S16("s16"),
        U16("u16"),
        S32("s32"),
        U32("u32"),
        S64("s64"),
        U64("u64"),
        F32("f32"),
        F64("f64"),
        CHAR("char"),
        STRING("string");

        private final String wit;

        Primitive(String wit) {
            this.wit = wit;
        }

        /** Whether a value of this type is a single number, bool or char. */
        public boolean isScalar() {
            return this != STRING;
        }

        @Override
        public String toString() {
            return wit;
        }
    }

    /** {@code list<T>}. */
    record ListType(WitType element) implements WitType {
        public ListType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String toString() {
            return "list<" + element + ">";
        }
    }

    /** {@code list<T, N>}: exactly {@code size} elements. */
    record FixedListType(WitType element, int size) implements WitType {
        public FixedListType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String toString() {
            return "list<" + element + ", " + size + ">";
        }
    }

    /** {@code map<K, V>}. */
    record MapType(WitType key, WitType value) implements WitType {
        public MapType {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "map<" + key + ", " + value + ">";
        }
    }

    /** A named field of a record. */
    record Field(String name, WitType type) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return name + ": " + type;
        }
    }

    /** {@code record { ... }}. */
    record RecordType(List<Field> fields) implements WitType {
        public RecordType {
            fields = List.copyOf(fields);
        }

        /** The field called {@code name}, if any. */
        public Optional<Field> field(String name) {
            return fields.stream().filter(f -> f.name().equals(name)).findFirst();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("record { ");
            for (int i = 0; i < fields.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(fields.get(i));
            }
            return sb.append(" }").toString();
        }
    }

    /** {@code tuple<...>}. */
    record TupleType(List<WitType> types) implements WitType {
        public TupleType {
            types = List.copyOf(types);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("tuple<");
            for (int i = 0; i < types.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(types.get(i));
            }
            return sb.append('>').toString();
        }
    }

    /** A case of a variant; {@code type} is null for a case without payload. */
    record Case(String name, WitType type) {
        public Case {
            Objects.requireNonNull(name, "name");
        }

        /** The payload type, if the case has one. */
        public Optional<WitType> payload() {
            return Optional.ofNullable(type);
        }

        @Override
        public String toString() {
            return type == null ? name : name + "(" + type + ")";
        }
    }

    /** {@code variant { ... }}. */
    record VariantType(List<Case> cases) implements WitType {
        public VariantType {
            cases = List.copyOf(cases);
        }

        /** The index of the case called {@code name}, or -1. */
        public int indexOf(String name) {
            for (int i = 0; i < cases.size(); i++) {
                if (cases.get(i).name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("variant { ");
            for (int i = 0; i < cases.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(cases.get(i));
            }
            return sb.append(" }").toString();
        }
    }

    /** {@code enum { ... }}. */
    record EnumType(List<String> names) implements WitType {
        public EnumType {
            names = List.copyOf(names);
        }

        @Override
        public String toString() {
            return "enum { " + String.join(", ", names) + " }";
        }
    }

    /** {@code option<T>}. */
    record OptionType(WitType type) implements WitType {
        public OptionType {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return "option<" + type + ">";
        }
    }

    /** {@code result<T, E>}; either side may be absent (null). */
    record ResultType(WitType ok, WitType err) implements WitType {
        /** The success payload type, if any. */
        public Optional<WitType> okType() {
            return Optional.ofNullable(ok);
        }

        /** The error payload type, if any. */
        public Optional<WitType> errType() {
            return Optional.ofNullable(err);
        }

        @Override
        public String toString() {
            if (ok == null && err == null) {
                return "result";
            }
            if (err == null) {
                return "result<" + ok + ">";
            }
            return "result<" + (ok == null ? "_" : ok.toString()) + ", " + err + ">";
        }
    }

    /** {@code flags { ... }}. */
    record FlagsType(List<String> names) implements WitType {
        public FlagsType {
            names = List.copyOf(names);
        }

        @Override
        public String toString() {
            return "flags { " + String.join(", ", names) + " }";
        }
    }

    /**
     * An owned handle to the resource called {@code resource}.
     *
     * @param resource the resource type's name
     * @param hostType the id of the host-defined resource type ({@code HostResourceType}) whose
     *     Java objects stand for these handles, or -1 for a resource the guest defines
     */
    record OwnType(String resource, int hostType) implements WitType {
        /** An owned handle to a guest-defined resource. */
        public OwnType(String resource) {
            this(resource, -1);
        }

        /** Whether the host defines this resource (values are the host's Java objects). */
        public boolean isHostDefined() {
            return hostType >= 0;
        }

        @Override
        public String toString() {
            return resource;
        }
    }

    /**
     * A borrowed handle to the resource called {@code resource}.
     *
     * @param resource the resource type's name
     * @param hostType the id of the host-defined resource type, or -1 for a guest resource
     */
    record BorrowType(String resource, int hostType) implements WitType {
        /** A borrowed handle to a guest-defined resource. */
        public BorrowType(String resource) {
            this(resource, -1);
        }

        /** Whether the host defines this resource (values are the host's Java objects). */
        public boolean isHostDefined() {
            return hostType >= 0;
        }

        @Override
        public String toString() {
            return "borrow<" + resource + ">";
        }
    }

    /** {@code future<T>} (component-model async); {@code type} may be null. */
    record FutureType(WitType type) implements WitType {
        @Override
        public String toString() {
            return type == null ? "future" : "future<" + type + ">";
        }
    }

    /** {@code stream<T>} (component-model async); {@code type} may be null. */
    record StreamType(WitType type) implements WitType {
        @Override
        public String toString() {
            return type == null ? "stream" : "stream<" + type + ">";
        }
    }

    /** {@code error-context} (component-model async). */
    record ErrorContextType() implements WitType {
        @Override
        public String toString() {
            return "error-context";
        }
    }
}
