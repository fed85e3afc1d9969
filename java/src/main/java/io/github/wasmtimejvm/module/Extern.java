package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Store;

/**
 * An item of a store that a module can import or export: a function, memory, global or table.
 * Items live as long as their store; they are usable while it is open.
 */
public sealed interface Extern permits Func, Memory, Global, Table {

    /**
     * The store this item lives in.
     *
     * @return the store that owns it; it is only usable with that store
     */
    Store store();

    /**
     * The item's type.
     *
     * @return the item's function, memory, global or table type
     */
    ExternType type();
}
