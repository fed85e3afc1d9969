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

    /** A component function. */
    record Func(FuncType type) implements ItemType {
        public Func {
            Objects.requireNonNull(type, "type");
        }
    }

    /** A core wasm function, with its signature as wasmtime prints it. */
    record CoreFunc(String signature) implements ItemType {}

    /** A core wasm module with its imports and exports (types as wasmtime prints them). */
    record Module(List<ModuleImport> imports, List<ModuleExport> exports) implements ItemType {
        public Module {
            imports = List.copyOf(imports);
            exports = List.copyOf(exports);
        }
    }

    /** An import of a core module. */
    record ModuleImport(String module, String name, String type) {}

    /** An export of a core module. */
    record ModuleExport(String name, String type) {}

    /** A nested component. */
    record Component(ComponentType type) implements ItemType {}

    /** An instance, such as an interface {@code docs:calc/ops@1.0.0}, with its exports. */
    record Instance(List<NamedItem> exports) implements ItemType {
        public Instance {
            exports = List.copyOf(exports);
        }

        /** The export called {@code name}, if any. */
        public Optional<NamedItem> export(String name) {
            return exports.stream().filter(e -> e.name().equals(name)).findFirst();
        }
    }

    /** A named value type. */
    record Type(WitType type) implements ItemType {}

    /** A resource type. */
    record Resource(String name) implements ItemType {}
}
