package io.github.wasmtimejvm.wit;

import java.util.Objects;

/**
 * An import or export: its name (a plain name such as {@code add}, or an interface name such as
 * {@code docs:calc/ops@1.0.0}) and its type.
 *
 * @param name the import's or export's name
 * @param type its type
 */
public record NamedItem(String name, ItemType type) {
    /**
     * Checks the item.
     *
     * @param name the name
     * @param type the type
     * @throws NullPointerException if either is null
     */
    public NamedItem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
