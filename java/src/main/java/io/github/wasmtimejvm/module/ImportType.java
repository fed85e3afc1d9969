package io.github.wasmtimejvm.module;

/**
 * An import of a module.
 *
 * @param module the module name of the import
 * @param name the item name
 * @param type its type
 */
public record ImportType(String module, String name, ExternType type) {
    @Override
    public String toString() {
        return "(import \"" + module + "\" \"" + name + "\" " + type + ")";
    }
}
