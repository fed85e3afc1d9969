package io.github.wasmtimejvm.module;

/** The type of a module's import or export: a function, memory, global, table or tag. */
public sealed interface ExternType permits FuncType, MemoryType, GlobalType, TableType, TagType {}
