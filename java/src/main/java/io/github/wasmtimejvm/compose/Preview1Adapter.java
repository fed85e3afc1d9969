package io.github.wasmtimejvm.compose;

/**
 * The WASI preview 1 adapters wasmtime ships (from {@code
 * wasi-preview1-component-adapter-provider} 48, bundled in this library): each turns a core
 * module that imports {@code wasi_snapshot_preview1} into a component that imports WASI preview 2.
 */
public enum Preview1Adapter {
    /** For a command, a module that exports {@code _start}: the component exports {@code wasi:cli/run}. */
    COMMAND,
    /** For a reactor (a library module without {@code _start}): the component exports what the module does. */
    REACTOR,
    /** For a {@code wasi:http/proxy} module: imports only what the proxy world allows. */
    PROXY
}
