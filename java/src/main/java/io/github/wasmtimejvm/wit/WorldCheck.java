package io.github.wasmtimejvm.wit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a component fits a WIT world, like {@code wasm-tools component targets}: it must export
 * everything the world exports, with the same types, and import nothing the world does not
 * allow. Every mismatch is listed, not only the first.
 *
 * <pre>{@code
 * WorldCheck check = component.check(WitPackage.parse(Path.of("wit")), "calculator");
 * if (!check.matches()) {
 *     throw new IllegalStateException("plugin does not implement calculator:\n" + check);
 * }
 * }</pre>
 *
 * @param world the world checked against, as {@code package/world}
 * @param mismatches every mismatch found, exports first; empty when the component fits
 */
public record WorldCheck(String world, List<Mismatch> mismatches) {

    /**
     * Copies the list.
     *
     * @param world the world checked against
     * @param mismatches the mismatches
     * @throws NullPointerException if {@code world}, {@code mismatches} or one of its elements is null
     */
    public WorldCheck {
        Objects.requireNonNull(world, "world");
        mismatches = List.copyOf(mismatches);
    }

    /** What is wrong with one item. */
    public enum Kind {
        /** The world exports the item; the component does not. */
        MISSING_EXPORT,
        /** Both export the item, with different types. */
        EXPORT_TYPE,
        /** The component imports the item; the world does not allow it. */
        /** The component imports the item; the world does not allow it. */
        IMPORT_NOT_ALLOWED,
        /** Both import the item, with different types. */
        /** Both import the item, with different types. */
        IMPORT_TYPE
    }

    /**
     * One mismatch.
     *
     * @param kind what is wrong
     * @param name the item: {@code name}, or {@code interface#name} for an item of an interface
     * @param expected the world's type of the item in WIT syntax, or {@code null} when the world
     *     does not have it
     * @param found the component's type of the item, or {@code null} when the component does not
     *     have it
     */
    public record Mismatch(Kind kind, String name, String expected, String found) {

        /**
         * Checks the kind and name are given.
         *
         * @param kind what is wrong
         * @param name the item
         * @param expected the world's type, or null
         * @param found the component's type, or null
         * @throws NullPointerException if {@code kind} or {@code name} is null
         */
        public Mismatch {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
        }

        /**
         * The world's type of the item.
         *
         * @return the world's type of the item, when the world has it
         */
        public Optional<String> expectedType() {
            return Optional.ofNullable(expected);
        }

        /**
         * The component's type of the item.
         *
         * @return the component's type of the item, when the component has it
         */
        public Optional<String> foundType() {
            return Optional.ofNullable(found);
        }

        /** One line naming the item and both types. */
        @Override
        public String toString() {
            switch (kind) {
                case MISSING_EXPORT:
                    return "missing export `" + name + "`: the world exports " + expected;
                case EXPORT_TYPE:
                    return "export `" + name + "`: the world expects " + expected
                            + ", the component has " + found;
                case IMPORT_NOT_ALLOWED:
                    return "import `" + name + "` (" + found + ") is not allowed by the world";
                default:
                    return "import `" + name + "`: the world allows " + expected
                            + ", the component imports " + found;
            }
        }
    }

    /**
     * Whether the component fits the world.
     *
     * @return whether the component fits the world (no mismatch)
     */
    public boolean matches() {
        return mismatches.isEmpty();
    }

    /** Every mismatch, one a line, or a line saying the component fits. */
    @Override
    public String toString() {
        if (mismatches.isEmpty()) {
            return "the component fits world " + world;
        }
        return mismatches.size() + " mismatch" + (mismatches.size() == 1 ? "" : "es")
                + " with world " + world + ":\n"
                + mismatches.stream().map(m -> "  " + m).collect(Collectors.joining("\n"));
    }
}
