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
        /** {@code bool}: true or false. */
        BOOL("bool"),
        /** {@code s8}: a signed 8-bit integer. */
        S8("s8"),
        /** {@code u8}: an unsigned 8-bit integer. */
        U8("u8"),
        /** {@code s16}: a signed 16-bit integer. */
        S16("s16"),
        /** {@code u16}: an unsigned 16-bit integer. */
        U16("u16"),
        /** {@code s32}: a signed 32-bit integer. */
        S32("s32"),
        /** {@code u32}: an unsigned 32-bit integer. */
        U32("u32"),
        /** {@code s64}: a signed 64-bit integer. */
        S64("s64"),
        /** {@code u64}: an unsigned 64-bit integer. */
        U64("u64"),
        /** {@code f32}: a 32-bit IEEE 754 float. */
        F32("f32"),
        /** {@code f64}: a 64-bit IEEE 754 float. */
        F64("f64"),
        /** {@code char}: a Unicode scalar value. */
        CHAR("char"),
        /** {@code string}: Unicode text. */
        STRING("string");

        private final String wit;

        Primitive(String wit) {
            this.wit = wit;
        }

        /**
         * Whether a value of this type is a single number, bool or char.
         *
         * @return true for every primitive but {@code string}
         */
        public boolean isScalar() {
            return this != STRING;
        }

        @Override
        public String toString() {
            return wit;
        }
    }

    /**
     * {@code list<T>}.
     *
     * @param element the element type
     */
    record ListType(WitType element) implements WitType {
        /**
         * Checks the components.
         *
         * @param element the element type
         * @throws NullPointerException if {@code element} is null
         */
        public ListType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String toString() {
            return "list<" + element + ">";
        }
    }

    /**
     * {@code list<T, N>}: exactly {@code size} elements.
     *
     * @param element the element type
     * @param size the number of elements
     */
    record FixedListType(WitType element, int size) implements WitType {
        /**
         * Checks the components.
         *
         * @param element the element type
         * @param size the number of elements
         * @throws NullPointerException if {@code element} is null
         */
        public FixedListType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String toString() {
            return "list<" + element + ", " + size + ">";
        }
    }

    /**
     * {@code map<K, V>}.
     *
     * @param key the key type
     * @param value the value type
     */
    record MapType(WitType key, WitType value) implements WitType {
        /**
         * Checks the components.
         *
         * @param key the key type
         * @param value the value type
         * @throws NullPointerException if either is null
         */
        public MapType {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "map<" + key + ", " + value + ">";
        }
    }

    /**
     * A named field of a record.
     *
     * @param name the field's name
     * @param type the field's type
     */
    record Field(String name, WitType type) {
        /**
         * Checks the components.
         *
         * @param name the field's name
         * @param type the field's type
         * @throws NullPointerException if either is null
         */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return name + ": " + type;
        }
    }

    /**
     * {@code record { ... }}.
     *
     * @param fields the fields, in order (an unmodifiable copy)
     */
    record RecordType(List<Field> fields) implements WitType {
        /**
         * Copies the fields.
         *
         * @param fields the fields, in order (an unmodifiable copy)
         * @throws NullPointerException if {@code fields} or one of its fields is null
         */
        public RecordType {
            fields = List.copyOf(fields);
        }

        /**
         * The field called {@code name}, if any.
         *
         * @param name the field's name
         * @return the field, or empty if the record has none by that name
         */
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

    /**
     * {@code tuple<...>}.
     *
     * @param types the element types, in order (an unmodifiable copy)
     */
    record TupleType(List<WitType> types) implements WitType {
        /**
         * Copies the element types.
         *
         * @param types the element types, in order (an unmodifiable copy)
         * @throws NullPointerException if {@code types} or one of its types is null
         */
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

    /**
     * A case of a variant; {@code type} is null for a case without payload.
     *
     * @param name the case's name
     * @param type the payload type, or null for a case without payload
     */
    record Case(String name, WitType type) {
        /**
         * Checks the components.
         *
         * @param name the case's name
         * @param type the payload type, or null for a case without payload
         * @throws NullPointerException if {@code name} is null
         */
        public Case {
            Objects.requireNonNull(name, "name");
        }

        /**
         * The payload type, if the case has one.
         *
         * @return the payload type, or empty for a case without payload
         */
        public Optional<WitType> payload() {
            return Optional.ofNullable(type);
        }

        @Override
        public String toString() {
            return type == null ? name : name + "(" + type + ")";
        }
    }

    /**
     * {@code variant { ... }}.
     *
     * @param cases the cases, in order (an unmodifiable copy)
     */
    record VariantType(List<Case> cases) implements WitType {
        /**
         * Copies the cases.
         *
         * @param cases the cases, in order (an unmodifiable copy)
         * @throws NullPointerException if {@code cases} or one of its cases is null
         */
        public VariantType {
            cases = List.copyOf(cases);
        }

        /**
         * The index of the case called {@code name}, or -1.
         *
         * @param name the case's name
         * @return the case's position in {@link #cases()} (its discriminant), or -1 if there is no such case
         */
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

    /**
     * {@code enum { ... }}.
     *
     * @param names the case names, in order (an unmodifiable copy)
     */
    record EnumType(List<String> names) implements WitType {
        /**
         * Copies the names.
         *
         * @param names the case names, in order (an unmodifiable copy)
         * @throws NullPointerException if {@code names} or one of its names is null
         */
        public EnumType {
            names = List.copyOf(names);
        }

        @Override
        public String toString() {
            return "enum { " + String.join(", ", names) + " }";
        }
    }

    /**
     * {@code option<T>}.
     *
     * @param type the type of the {@code some} payload
     */
    record OptionType(WitType type) implements WitType {
        /**
         * Checks the components.
         *
         * @param type the type of the {@code some} payload
         * @throws NullPointerException if {@code type} is null
         */
        public OptionType {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return "option<" + type + ">";
        }
    }

    /**
     * {@code result<T, E>}; either side may be absent (null).
     *
     * @param ok the success payload type, or null for none
     * @param err the error payload type, or null for none
     */
    record ResultType(WitType ok, WitType err) implements WitType {
        /**
         * The success payload type, if any.
         *
         * @return the type of the {@code ok} payload, or empty when {@code ok} carries none
         */
        public Optional<WitType> okType() {
            return Optional.ofNullable(ok);
        }

        /**
         * The error payload type, if any.
         *
         * @return the type of the {@code err} payload, or empty when {@code err} carries none
         */
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

    /**
     * {@code flags { ... }}.
     *
     * @param names the flag names, in order (an unmodifiable copy)
     */
    record FlagsType(List<String> names) implements WitType {
        /**
         * Copies the names.
         *
         * @param names the flag names, in order (an unmodifiable copy)
         * @throws NullPointerException if {@code names} or one of its names is null
         */
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
        /**
         * An owned handle to a guest-defined resource.
         *
         * @param resource the resource type's name
         */
        public OwnType(String resource) {
            this(resource, -1);
        }

        /**
         * Whether the host defines this resource (values are the host's Java objects).
         *
         * @return true if {@code hostType} is a host resource type's id, false for a guest resource
         */
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
        /**
         * A borrowed handle to a guest-defined resource.
         *
         * @param resource the resource type's name
         */
        public BorrowType(String resource) {
            this(resource, -1);
        }

        /**
         * Whether the host defines this resource (values are the host's Java objects).
         *
         * @return true if {@code hostType} is a host resource type's id, false for a guest resource
         */
        public boolean isHostDefined() {
            return hostType >= 0;
        }

        @Override
        public String toString() {
            return "borrow<" + resource + ">";
        }
    }

    /**
     * {@code future<T>} (component-model async); {@code type} may be null.
     *
     * @param type the type of the value the future resolves to, or null for a bare {@code future}
     */
    record FutureType(WitType type) implements WitType {
        @Override
        public String toString() {
            return type == null ? "future" : "future<" + type + ">";
        }
    }

    /**
     * {@code stream<T>} (component-model async); {@code type} may be null.
     *
     * @param type the type of the stream's elements, or null for a bare {@code stream}
     */
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
