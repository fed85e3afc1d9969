package io.github.wasmtimejvm.wit;

import java.util.List;
import java.util.Optional;

/**
 * What a component imports and exports, with every type in full.
 *
 * <p>{@link #toString()} prints it in WIT-like syntax, one import or export a line, with the
 * contents of interface instances indented below them.
 *
 * @param imports the imports, in order (an unmodifiable copy)
 * @param exports the exports, in order (an unmodifiable copy)
 */
public record ComponentType(List<NamedItem> imports, List<NamedItem> exports) {
    /**
     * Copies the lists.
     *
     * @param imports the imports
     * @param exports the exports
     * @throws NullPointerException if a list, or an element of one, is null
     */
    public ComponentType {
        imports = List.copyOf(imports);
        exports = List.copyOf(exports);
    }

    /**
     * The import called {@code name}, if any.
     *
     * @param name the import's name, e.g. {@code wasi:cli/stdout@0.2.6}
     * @return the import, or empty if there is none by that name
     */
    public Optional<NamedItem> importNamed(String name) {
        return imports.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * The export called {@code name}, if any.
     *
     * @param name the export's name
     * @return the export, or empty if there is none by that name
     */
    public Optional<NamedItem> exportNamed(String name) {
        return exports.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("world root {\n");
        for (NamedItem i : imports) {
            render(sb, "  ", "import ", i);
        }
        for (NamedItem e : exports) {
            render(sb, "  ", "export ", e);
        }
        return sb.append("}\n").toString();
    }

    private static void render(StringBuilder sb, String indent, String keyword, NamedItem item) {
        sb.append(indent).append(keyword).append(item.name()).append(": ");
        ItemType type = item.type();
        if (type instanceof ItemType.Func f) {
            sb.append(f.type()).append(";\n");
        } else if (type instanceof ItemType.CoreFunc f) {
            sb.append("core func ").append(f.signature()).append(";\n");
        } else if (type instanceof ItemType.Type t) {
            sb.append("type ").append(t.type()).append(";\n");
        } else if (type instanceof ItemType.Resource) {
            sb.append("resource;\n");
        } else if (type instanceof ItemType.Instance inst) {
            sb.append("interface {\n");
            for (NamedItem e : inst.exports()) {
                render(sb, indent + "  ", "", e);
            }
            sb.append(indent).append("}\n");
        } else if (type instanceof ItemType.Module m) {
            sb.append("core module {\n");
            for (ItemType.ModuleImport im : m.imports()) {
                sb.append(indent).append("  import ").append(im.module()).append(' ')
                        .append(im.name()).append(": ").append(im.type()).append(";\n");
            }
            for (ItemType.ModuleExport ex : m.exports()) {
                sb.append(indent).append("  export ").append(ex.name()).append(": ")
                        .append(ex.type()).append(";\n");
            }
            sb.append(indent).append("}\n");
        } else if (type instanceof ItemType.Component c) {
            sb.append("component {\n");
            for (NamedItem i : c.type().imports()) {
                render(sb, indent + "  ", "import ", i);
            }
            for (NamedItem e : c.type().exports()) {
                render(sb, indent + "  ", "export ", e);
            }
            sb.append(indent).append("}\n");
        }
    }
}
