package io.github.wasmtimejvm.module;

/**
 * An export of a module or instance.
 *
 * @param name the export name
 * @param type its type
 */
public record ExportType(String name, ExternType type) {
    @Override
    public String toString() {
        return "(export \"" + name + "\" " + type + ")";
    }
}
