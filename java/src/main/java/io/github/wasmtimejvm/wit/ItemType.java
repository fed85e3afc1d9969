package io.github.wasmtimejvm.wit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The type of something a component imports or exports. */
public sealed interface ItemType
        permits ItemType.Func,
                ItemType.CoreFunc,
                ItemType.Module,
                ItemType.Component,
                ItemType.Instance,
                ItemType.Type,
                ItemType.Resource {

    /**
     * A component function.
     *
     * @param type the function's type
     */
    record Func(FuncType type) implements ItemType {
        /**
         * Checks the type.
         *
         * @param type the function's type
         * @throws NullPointerException if {@code type} is null
         */
        public Func {
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * A core wasm function, with its signature as wasmtime prints it.
     *
     * @param signature the signature, e.g. {@code (func (param i32) (result i32))}
     */
    record CoreFunc(String signature) implements ItemType {}

    /**
     * A core wasm module with its imports and exports (types as wasmtime prints them).
     *
     * @param imports the module's imports, in order
     * @param exports the module's exports, in order
     */
    record Module(List<ModuleImport> imports, List<ModuleExport> exports) implements ItemType {
        /**
         * Copies the lists.
         *
         * @param imports the imports
         * @param exports the exports
         * @throws NullPointerException if a list, or an element of one, is null
         */
        public Module {
            imports = List.copyOf(imports);
            exports = List.copyOf(exports);
        }
    }

    /**
     * An import of a core module.
     *
     * @param module the import's module name
     * @param name the import's field name
     * @param type its type as wasmtime prints it
     */
    record ModuleImport(String module, String name, String type) {}

    /**
     * An export of a core module.
     *
     * @param name the export's name
     * @param type its type as wasmtime prints it
     */
    record ModuleExport(String name, String type) {}

    /**
     * A nested component.
     *
     * @param type the nested component's imports and exports
     */
    record Component(ComponentType type) implements ItemType {}

    /**
     * An instance, such as an interface {@code docs:calc/ops@1.0.0}, with its exports.
     *
     * @param exports the instance's exports, in order (an unmodifiable copy)
     */
    record Instance(List<NamedItem> exports) implements ItemType {
        /**
         * Copies the exports.
         *
         * @param exports the exports
         * @throws NullPointerException if {@code exports} or one of its items is null
         */
        public Instance {
            exports = List.copyOf(exports);
        }

        /**
         * The export called {@code name}, if any.
         *
         * @param name the export's name, e.g. {@code add}
         * @return the export, or empty if there is none by that name
         */
        public Optional<NamedItem> export(String name) {
            return exports.stream().filter(e -> e.name().equals(name)).findFirst();
        }
    }

    /**
     * A named value type.
     *
     * @param type the type
     */
    record Type(WitType type) implements ItemType {}

    /**
     * A resource type.
     *
     * @param name the resource type's name
     */
    record Resource(String name) implements ItemType {}
}
