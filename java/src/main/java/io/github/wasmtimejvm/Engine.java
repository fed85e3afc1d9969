package io.github.wasmtimejvm;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Compiles WebAssembly and holds the settings every {@link Store}, component and linker made from
 * it share. Engines are thread-safe; create one per configuration and share it.
 *
 * <pre>{@code
 * try (Engine engine = new Engine(Engine.Config.builder().consumeFuel(true).build())) { ... }
 * }</pre>
 */
public final class Engine extends NativeHandle {

    private static final Kind KIND = new Kind("Engine", Engine::dispose0, Engine::free0);

    /** Cranelift optimisation level. */
    public enum OptLevel {
        /** No optimisation: fastest compilation. */
        NONE,
        /** Optimise for speed (the default). */
        SPEED,
        /** Optimise for speed and code size. */
        SPEED_AND_SIZE
    }

    /**
     * Engine settings. Immutable; build with {@link #builder()}.
     *
     * @param optLevel Cranelift optimisation level
     * @param consumeFuel count fuel: stores then run only as long as they have fuel
     * @param epochInterruption check epoch deadlines, so long-running guests can be interrupted
     * @param maxWasmStack maximum wasm stack in bytes, or 0 for wasmtime's default (512 KiB)
     * @param parallelCompilation compile functions on several threads
     * @param cacheDirectory a directory for wasmtime's compiled-code cache, or null for none. The
     *     directory is trusted: wasmtime loads the compiled code it finds there as it is, so anyone
     *     who can write to it can crash this process or run code in it. Use a directory only this
     *     process's user can write, never a shared or world-writable one
     * @param concurrencySupport component-model async support; it slows every call, so it is off
     *     by default
     * @param signalsBasedTraps catch out-of-bounds accesses with signal handlers (the default);
     *     off uses explicit bounds checks and installs no handlers
     * @param wasmBacktrace collect wasm backtraces for traps
     * @param componentModelMap accept {@code map<K, V>} types
     * @param componentModelFixedLengthLists accept fixed-length {@code list<T, N>} types
     * @param compiledCodeKey the key serialized code is signed and checked with, or null: then
     *     serialized code carries a SHA-256 checksum, which catches corruption but not deliberate
     *     changes
     * @param relaxedSimdDeterministic make the relaxed-SIMD instructions give the same results on
     *     every platform (their deterministic semantics), at some speed cost; off by default, where
     *     each uses the fastest native instruction
     * @param componentModelErrorContext accept the component model's {@code error-context} type and
     *     its built-ins (wasmtime's support is incomplete; off by default; needs {@code
     *     concurrencySupport})
     * @param componentModelImplements accept the {@code (implements "...")} annotations on component
     *     imports and exports (off by default)
     * @param componentModelMemory64 accept canonical options that lift and lower through 64-bit
     *     memories (off by default)
     * @param componentModelGc accept the component model's GC extension, GC-typed lifts and lowers
     *     (wasmtime's support is incomplete; off by default)
     * @param asyncThreads how many worker threads run this engine's asynchronous calls ({@code
     *     Func.callAsync}), or 0 for one per available processor; the workers start with the first
     *     asynchronous call, and a call holds one only while its guest runs, not while it waits
     * @param componentModelMoreAsyncBuiltins accept the component model's further async built-ins
     *     (off by default; needs {@code concurrencySupport})
     * @param componentModelAsyncStackful accept stackful async lifts, guests that block in {@code
     *     waitable-set.wait} without a callback (off by default; needs {@code concurrencySupport})
     * @param componentModelThreading accept the component model's cooperative-threads built-ins
     *     (off by default; needs {@code concurrencySupport})
     */
    public record Config(
            OptLevel optLevel,
            boolean consumeFuel,
            boolean epochInterruption,
            long maxWasmStack,
            boolean parallelCompilation,
            Path cacheDirectory,
            boolean concurrencySupport,
            boolean signalsBasedTraps,
            boolean wasmBacktrace,
            boolean componentModelMap,
            boolean componentModelFixedLengthLists,
            CompiledCodeKey compiledCodeKey,
            boolean relaxedSimdDeterministic,
            boolean componentModelErrorContext,
            boolean componentModelImplements,
            boolean componentModelMemory64,
            boolean componentModelGc,
            int asyncThreads,
            boolean componentModelMoreAsyncBuiltins,
            boolean componentModelAsyncStackful,
            boolean componentModelThreading) {

        /**
         * Checks the settings; {@link Builder#build()} goes through here too.
         *
         * @param optLevel Cranelift optimisation level
         * @param consumeFuel count fuel, so that stores run only as long as they have fuel
         * @param epochInterruption check epoch deadlines, so that long-running guests can be interrupted
         * @param maxWasmStack maximum wasm stack in bytes, or 0 for wasmtime's default (512 KiB)
         * @param parallelCompilation compile functions on several threads
         * @param cacheDirectory a trusted directory for wasmtime's compiled-code cache, or null for none (see the
         *     class description)
         * @param concurrencySupport component-model async support (slows every call)
         * @param signalsBasedTraps catch out-of-bounds accesses with signal handlers rather than explicit bounds
         *     checks
         * @param wasmBacktrace collect wasm backtraces for traps
         * @param componentModelMap accept {@code map<K, V>} types
         * @param componentModelFixedLengthLists accept fixed-length {@code list<T, N>} types
         * @param compiledCodeKey the key serialized code is signed and checked with, or null for a SHA-256
         *     checksum only
         * @param relaxedSimdDeterministic give the relaxed-SIMD instructions their deterministic semantics
         * @param componentModelErrorContext accept the {@code error-context} type and its built-ins (needs {@code
         *     concurrencySupport})
         * @param componentModelImplements accept {@code (implements "...")} annotations on imports and exports
         * @param componentModelMemory64 accept canonical options that lift and lower through 64-bit memories
         * @param componentModelGc accept the component model's GC extension
         * @param asyncThreads worker threads for asynchronous calls, or 0 for one per processor
         * @param componentModelMoreAsyncBuiltins accept the further async built-ins
         * @param componentModelAsyncStackful accept stackful async lifts
         * @param componentModelThreading accept the cooperative-threads built-ins
         * @throws NullPointerException if {@code optLevel} is null
         * @throws IllegalArgumentException if {@code maxWasmStack} or {@code asyncThreads} is negative
         */
        public Config {
            Objects.requireNonNull(optLevel, "optLevel");
            if (maxWasmStack < 0) {
                throw new IllegalArgumentException("maxWasmStack must not be negative");
            }
            if (asyncThreads < 0) {
                throw new IllegalArgumentException("asyncThreads must not be negative");
            }
        }

        /**
         * The settings before the further async switches ({@code componentModelMoreAsyncBuiltins},
         * {@code componentModelAsyncStackful}, {@code componentModelThreading}) existed; those
         * are off.
         *
         * @param optLevel Cranelift optimisation level
         * @param consumeFuel count fuel, so that stores run only as long as they have fuel
         * @param epochInterruption check epoch deadlines, so that long-running guests can be interrupted
         * @param maxWasmStack maximum wasm stack in bytes, or 0 for wasmtime's default (512 KiB)
         * @param parallelCompilation compile functions on several threads
         * @param cacheDirectory a trusted directory for wasmtime's compiled-code cache, or null for none
         * @param concurrencySupport component-model async support (slows every call)
         * @param signalsBasedTraps catch out-of-bounds accesses with signal handlers
         * @param wasmBacktrace collect wasm backtraces for traps
         * @param componentModelMap accept {@code map<K, V>} types
         * @param componentModelFixedLengthLists accept fixed-length {@code list<T, N>} types
         * @param compiledCodeKey the key serialized code is signed and checked with, or null
         * @param relaxedSimdDeterministic give the relaxed-SIMD instructions their deterministic semantics
         * @param componentModelErrorContext accept the {@code error-context} type and its built-ins
         * @param componentModelImplements accept {@code (implements "...")} annotations
         * @param componentModelMemory64 accept canonical options with 64-bit memories
         * @param componentModelGc accept the component model's GC extension
         * @param asyncThreads worker threads for asynchronous calls, or 0 for one per processor
         * @throws NullPointerException if {@code optLevel} is null
         * @throws IllegalArgumentException if {@code maxWasmStack} or {@code asyncThreads} is negative
         */
        public Config(OptLevel optLevel, boolean consumeFuel, boolean epochInterruption, long maxWasmStack,
                boolean parallelCompilation, Path cacheDirectory, boolean concurrencySupport,
                boolean signalsBasedTraps, boolean wasmBacktrace, boolean componentModelMap,
                boolean componentModelFixedLengthLists, CompiledCodeKey compiledCodeKey,
                boolean relaxedSimdDeterministic, boolean componentModelErrorContext,
                boolean componentModelImplements, boolean componentModelMemory64, boolean componentModelGc,
                int asyncThreads) {
            this(optLevel, consumeFuel, epochInterruption, maxWasmStack, parallelCompilation, cacheDirectory,
                    concurrencySupport, signalsBasedTraps, wasmBacktrace, componentModelMap,
                    componentModelFixedLengthLists, compiledCodeKey, relaxedSimdDeterministic,
                    componentModelErrorContext, componentModelImplements, componentModelMemory64,
                    componentModelGc, asyncThreads, false, false, false);
        }

        /**
         * The settings before {@code asyncThreads} existed: asynchronous calls get one worker per
         * processor.
         *
         * @param optLevel Cranelift optimisation level
         * @param consumeFuel count fuel, so that stores run only as long as they have fuel
         * @param epochInterruption check epoch deadlines, so that long-running guests can be interrupted
         * @param maxWasmStack maximum wasm stack in bytes, or 0 for wasmtime's default (512 KiB)
         * @param parallelCompilation compile functions on several threads
         * @param cacheDirectory a trusted directory for wasmtime's compiled-code cache, or null for none
         * @param concurrencySupport component-model async support (slows every call)
         * @param signalsBasedTraps catch out-of-bounds accesses with signal handlers
         * @param wasmBacktrace collect wasm backtraces for traps
         * @param componentModelMap accept {@code map<K, V>} types
         * @param componentModelFixedLengthLists accept fixed-length {@code list<T, N>} types
         * @param compiledCodeKey the key serialized code is signed and checked with, or null
         * @param relaxedSimdDeterministic give the relaxed-SIMD instructions their deterministic semantics
         * @param componentModelErrorContext accept the {@code error-context} type and its built-ins
         * @param componentModelImplements accept {@code (implements "...")} annotations
         * @param componentModelMemory64 accept canonical options with 64-bit memories
         * @param componentModelGc accept the component model's GC extension
         * @throws NullPointerException if {@code optLevel} is null
         * @throws IllegalArgumentException if {@code maxWasmStack} is negative
         */
        public Config(OptLevel optLevel, boolean consumeFuel, boolean epochInterruption, long maxWasmStack,
                boolean parallelCompilation, Path cacheDirectory, boolean concurrencySupport,
                boolean signalsBasedTraps, boolean wasmBacktrace, boolean componentModelMap,
                boolean componentModelFixedLengthLists, CompiledCodeKey compiledCodeKey,
                boolean relaxedSimdDeterministic, boolean componentModelErrorContext,
                boolean componentModelImplements, boolean componentModelMemory64, boolean componentModelGc) {
            this(optLevel, consumeFuel, epochInterruption, maxWasmStack, parallelCompilation, cacheDirectory,
                    concurrencySupport, signalsBasedTraps, wasmBacktrace, componentModelMap,
                    componentModelFixedLengthLists, compiledCodeKey, relaxedSimdDeterministic,
                    componentModelErrorContext, componentModelImplements, componentModelMemory64,
                    componentModelGc, 0);
        }

        /**
         * The settings before the component-model error-context, implements, memory64 and GC
         * switches existed; those are off.
         *
         * @param optLevel Cranelift optimisation level
         * @param consumeFuel count fuel, so that stores run only as long as they have fuel
         * @param epochInterruption check epoch deadlines, so that long-running guests can be interrupted
         * @param maxWasmStack maximum wasm stack in bytes, or 0 for wasmtime's default (512 KiB)
         * @param parallelCompilation compile functions on several threads
         * @param cacheDirectory a trusted directory for wasmtime's compiled-code cache, or null for none (see the
         *     class description)
         * @param concurrencySupport component-model async support (slows every call)
         * @param signalsBasedTraps catch out-of-bounds accesses with signal handlers rather than explicit bounds
         *     checks
         * @param wasmBacktrace collect wasm backtraces for traps
         * @param componentModelMap accept {@code map<K, V>} types
         * @param componentModelFixedLengthLists accept fixed-length {@code list<T, N>} types
         * @param compiledCodeKey the key serialized code is signed and checked with, or null for a SHA-256
         *     checksum only
         * @param relaxedSimdDeterministic give the relaxed-SIMD instructions their deterministic semantics
         * @throws NullPointerException if {@code optLevel} is null
         * @throws IllegalArgumentException if {@code maxWasmStack} is negative
         */
        public Config(OptLevel optLevel, boolean consumeFuel, boolean epochInterruption, long maxWasmStack,
                boolean parallelCompilation, Path cacheDirectory, boolean concurrencySupport,
                boolean signalsBasedTraps, boolean wasmBacktrace, boolean componentModelMap,
                boolean componentModelFixedLengthLists, CompiledCodeKey compiledCodeKey,
                boolean relaxedSimdDeterministic) {
            this(optLevel, consumeFuel, epochInterruption, maxWasmStack, parallelCompilation, cacheDirectory,
                    concurrencySupport, signalsBasedTraps, wasmBacktrace, componentModelMap,
                    componentModelFixedLengthLists, compiledCodeKey, relaxedSimdDeterministic,
                    false, false, false, false);
        }

        /**
         * The settings before {@code relaxedSimdDeterministic} existed; that one is off, as are
         * the later component-model switches.
         *
         * @param optLevel Cranelift optimisation level
         * @param consumeFuel count fuel, so that stores run only as long as they have fuel
         * @param epochInterruption check epoch deadlines, so that long-running guests can be interrupted
         * @param maxWasmStack maximum wasm stack in bytes, or 0 for wasmtime's default (512 KiB)
         * @param parallelCompilation compile functions on several threads
         * @param cacheDirectory a trusted directory for wasmtime's compiled-code cache, or null for none (see the
         *     class description)
         * @param concurrencySupport component-model async support (slows every call)
         * @param signalsBasedTraps catch out-of-bounds accesses with signal handlers rather than explicit bounds
         *     checks
         * @param wasmBacktrace collect wasm backtraces for traps
         * @param componentModelMap accept {@code map<K, V>} types
         * @param componentModelFixedLengthLists accept fixed-length {@code list<T, N>} types
         * @param compiledCodeKey the key serialized code is signed and checked with, or null for a SHA-256
         *     checksum only
         * @throws NullPointerException if {@code optLevel} is null
         * @throws IllegalArgumentException if {@code maxWasmStack} is negative
         */
        public Config(OptLevel optLevel, boolean consumeFuel, boolean epochInterruption, long maxWasmStack,
                boolean parallelCompilation, Path cacheDirectory, boolean concurrencySupport,
                boolean signalsBasedTraps, boolean wasmBacktrace, boolean componentModelMap,
                boolean componentModelFixedLengthLists, CompiledCodeKey compiledCodeKey) {
            this(optLevel, consumeFuel, epochInterruption, maxWasmStack, parallelCompilation, cacheDirectory,
                    concurrencySupport, signalsBasedTraps, wasmBacktrace, componentModelMap,
                    componentModelFixedLengthLists, compiledCodeKey, false);
        }

        /**
         * The default settings: what {@code builder().build()} gives.
         *
         * @return a config with every setting at its default
         */
        public static Config defaults() {
            return builder().build();
        }

        /**
         * A builder starting from the defaults.
         *
         * @return a new builder; each call returns a fresh one
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The cache directory, if one is set.
         *
         * @return {@link #cacheDirectory()}, or empty when it is null
         */
        public Optional<Path> cache() {
            return Optional.ofNullable(cacheDirectory);
        }

        /**
         * A builder starting from these settings, for a variant of this config.
         *
         * @return a new builder holding every setting of this config; changing it leaves this
         *     config as it is
         */
        public Builder toBuilder() {
            Builder b = new Builder();
            b.optLevel = optLevel;
            b.consumeFuel = consumeFuel;
            b.epochInterruption = epochInterruption;
            b.maxWasmStack = maxWasmStack;
            b.parallelCompilation = parallelCompilation;
            b.cacheDirectory = cacheDirectory;
            b.concurrencySupport = concurrencySupport;
            b.signalsBasedTraps = signalsBasedTraps;
            b.wasmBacktrace = wasmBacktrace;
            b.componentModelMap = componentModelMap;
            b.componentModelFixedLengthLists = componentModelFixedLengthLists;
            b.compiledCodeKey = compiledCodeKey;
            b.relaxedSimdDeterministic = relaxedSimdDeterministic;
            b.componentModelErrorContext = componentModelErrorContext;
            b.componentModelImplements = componentModelImplements;
            b.componentModelMemory64 = componentModelMemory64;
            b.componentModelGc = componentModelGc;
            b.asyncThreads = asyncThreads;
            b.componentModelMoreAsyncBuiltins = componentModelMoreAsyncBuiltins;
            b.componentModelAsyncStackful = componentModelAsyncStackful;
            b.componentModelThreading = componentModelThreading;
            return b;
        }

        /** Builds a {@link Config}. */
        public static final class Builder {
            private OptLevel optLevel = OptLevel.SPEED;
            private boolean consumeFuel;
            private boolean epochInterruption;
            private long maxWasmStack;
            private boolean parallelCompilation = true;
            private Path cacheDirectory;
            private boolean concurrencySupport;
            private boolean signalsBasedTraps = true;
            private boolean wasmBacktrace = true;
            private boolean componentModelMap = true;
            private boolean componentModelFixedLengthLists = true;
            private CompiledCodeKey compiledCodeKey;
            private boolean relaxedSimdDeterministic;
            private boolean componentModelErrorContext;
            private boolean componentModelImplements;
            private boolean componentModelMemory64;
            private boolean componentModelGc;
            private int asyncThreads;
            private boolean componentModelMoreAsyncBuiltins;
            private boolean componentModelAsyncStackful;
            private boolean componentModelThreading;

            private Builder() {}

            /**
             * Sets the Cranelift optimisation level ({@link OptLevel#SPEED} by default).
             *
             * @param level the optimisation level
             * @return this builder
             * @throws NullPointerException if {@code level} is null
             */
            public Builder optLevel(OptLevel level) {
                this.optLevel = Objects.requireNonNull(level, "level");
                return this;
            }

            /**
             * Counts fuel; stores then need fuel ({@link Store#setFuel}) to run. Off by default.
             *
             * @param enable whether to count fuel
             * @return this builder
             */
            public Builder consumeFuel(boolean enable) {
                this.consumeFuel = enable;
                return this;
            }

            /**
             * Checks epoch deadlines so that a guest can be interrupted ({@link
             * Engine#incrementEpoch()}). Off by default.
             *
             * @param enable whether to check epoch deadlines
             * @return this builder
             */
            public Builder epochInterruption(boolean enable) {
                this.epochInterruption = enable;
                return this;
            }

            /**
             * Maximum wasm stack in bytes (0, the default: wasmtime's default, 512 KiB).
             *
             * @param bytes the stack size in bytes; a negative value makes {@link #build()} throw
             *     an {@link IllegalArgumentException}
             * @return this builder
             */
            public Builder maxWasmStack(long bytes) {
                this.maxWasmStack = bytes;
                return this;
            }

            /**
             * Compiles on several threads (on by default).
             *
             * @param enable whether to compile in parallel
             * @return this builder
             */
            public Builder parallelCompilation(boolean enable) {
                this.parallelCompilation = enable;
                return this;
            }

            /**
             * Caches compiled code in {@code directory} (null: no cache). The directory is
             * trusted: code found there is loaded unchecked, so only this process's user may be
             * able to write to it.
             *
             * @param directory the cache directory, or null for no cache (the default); it is
             *     created when the engine is
             * @return this builder
             */
            public Builder cacheDirectory(Path directory) {
                this.cacheDirectory = directory;
                return this;
            }

            /**
             * Enables component-model async support (slower calls). Off by default.
             *
             * @param enable whether to support component-model async
             * @return this builder
             */
            public Builder concurrencySupport(boolean enable) {
                this.concurrencySupport = enable;
                return this;
            }

            /**
             * Uses signal handlers for bounds checks (true, the default) or explicit checks.
             *
             * @param enable true for signal handlers, false for explicit checks and no handlers
             * @return this builder
             */
            public Builder signalsBasedTraps(boolean enable) {
                this.signalsBasedTraps = enable;
                return this;
            }

            /**
             * Collects wasm backtraces for traps (on by default).
             *
             * @param enable whether to collect backtraces
             * @return this builder
             */
            public Builder wasmBacktrace(boolean enable) {
                this.wasmBacktrace = enable;
                return this;
            }

            /**
             * Accepts {@code map<K, V>} types (on by default).
             *
             * @param enable whether to accept map types
             * @return this builder
             */
            public Builder componentModelMap(boolean enable) {
                this.componentModelMap = enable;
                return this;
            }

            /**
             * Accepts fixed-length {@code list<T, N>} types (on by default).
             *
             * @param enable whether to accept fixed-length lists
             * @return this builder
             */
            public Builder componentModelFixedLengthLists(boolean enable) {
                this.componentModelFixedLengthLists = enable;
                return this;
            }

            /**
             * Signs serialized code with {@code key} and loads only serialized code signed with
             * it (see {@link CompiledCodeKey}); null: checksums only.
             *
             * @param key the signing key, or null (the default)
             * @return this builder
             */
            public Builder compiledCodeKey(CompiledCodeKey key) {
                this.compiledCodeKey = key;
                return this;
            }

            /**
             * Gives the relaxed-SIMD instructions ({@code i8x16.relaxed_swizzle}, {@code
             * f32x4.relaxed_madd}, ...) their deterministic semantics, the same results on every
             * platform, instead of the fastest native instruction's (the default, off). wasmtime's
             * own spec-test runner runs the relaxed-SIMD tests both ways.
             *
             * @param enable whether to use the deterministic semantics
             * @return this builder
             */
            public Builder relaxedSimdDeterministic(boolean enable) {
                this.relaxedSimdDeterministic = enable;
                return this;
            }

            /**
             * Accepts the component model's {@code error-context} type and its built-ins
             * ({@code error-context.new}, {@code .debug-message}, {@code .drop}); wasmtime's
             * {@code Config::wasm_component_model_error_context}. Off by default: wasmtime's support
             * is incomplete. wasmtime counts it among the component-model async features, so it
             * needs {@link #concurrencySupport(boolean) concurrencySupport(true)}; without it
             * creating the engine fails with an {@link IllegalArgumentException}.
             *
             * @param enable whether to accept {@code error-context}
             * @return this builder
             */
            public Builder componentModelErrorContext(boolean enable) {
                this.componentModelErrorContext = enable;
                return this;
            }

            /**
             * Accepts the {@code (implements "...")} annotations on component imports and exports,
             * which say that an item implements a named interface; wasmtime's {@code
             * Config::wasm_component_model_implements}. Off by default.
             *
             * @param enable whether to accept {@code implements} annotations
             * @return this builder
             */
            public Builder componentModelImplements(boolean enable) {
                this.componentModelImplements = enable;
                return this;
            }

            /**
             * Accepts canonical options that lift and lower values through 64-bit linear memories
             * (pointers and lengths as {@code i64}); wasmtime's {@code
             * Config::wasm_component_model_memory64}. Off by default.
             *
             * @param enable whether to accept 64-bit memories in canonical options
             * @return this builder
             */
            public Builder componentModelMemory64(boolean enable) {
                this.componentModelMemory64 = enable;
                return this;
            }

            /**
             * Accepts the component model's GC extension: functions lifted and lowered with GC
             * types instead of linear memory; wasmtime's {@code Config::wasm_component_model_gc}.
             * Off by default: wasmtime's support is incomplete.
             *
             * @param enable whether to accept the GC extension
             * @return this builder
             */
            public Builder componentModelGc(boolean enable) {
                this.componentModelGc = enable;
                return this;
            }

            /**
             * Accepts the component model's further async built-ins (those beyond the first
             * async set, such as {@code context.get} of more slots); wasmtime's {@code
             * Config::wasm_component_model_more_async_builtins}. Off by default; needs {@link
             * #concurrencySupport}.
             *
             * @param enable whether to accept the further async built-ins
             * @return this builder
             */
            public Builder componentModelMoreAsyncBuiltins(boolean enable) {
                this.componentModelMoreAsyncBuiltins = enable;
                return this;
            }

            /**
             * Accepts stackful async lifts: async exports without a callback, whose guest blocks
             * in {@code waitable-set.wait} on its own stack; wasmtime's {@code
             * Config::wasm_component_model_async_stackful}. Off by default; needs {@link
             * #concurrencySupport}.
             *
             * @param enable whether to accept stackful async lifts
             * @return this builder
             */
            public Builder componentModelAsyncStackful(boolean enable) {
                this.componentModelAsyncStackful = enable;
                return this;
            }

            /**
             * Accepts the component model's cooperative-threads built-ins ({@code thread.*});
             * wasmtime's {@code Config::wasm_component_model_threading}. Off by default; needs
             * {@link #concurrencySupport}.
             *
             * @param enable whether to accept the threads built-ins
             * @return this builder
             */
            public Builder componentModelThreading(boolean enable) {
                this.componentModelThreading = enable;
                return this;
            }

            /**
             * Sets how many worker threads run this engine's asynchronous calls ({@code
             * Func.callAsync}); 0, the default, means one per available processor. The workers
             * start with the engine's first asynchronous call. A call occupies a worker only
             * while its guest (or a synchronous host function it calls) runs; one waiting for an
             * asynchronous host function occupies none.
             *
             * @param threads the number of workers, or 0 for one per processor
             * @return this builder
             */
            public Builder asyncThreads(int threads) {
                this.asyncThreads = threads;
                return this;
            }

            /**
             * The settings. The builder stays usable; later changes do not affect the result.
             *
             * @return a config with this builder's settings
             * @throws IllegalArgumentException if the maximum wasm stack or the async thread count
             *     is negative
             */
            public Config build() {
                return new Config(optLevel, consumeFuel, epochInterruption, maxWasmStack,
                        parallelCompilation, cacheDirectory, concurrencySupport, signalsBasedTraps,
                        wasmBacktrace, componentModelMap, componentModelFixedLengthLists,
                        compiledCodeKey, relaxedSimdDeterministic, componentModelErrorContext,
                        componentModelImplements, componentModelMemory64, componentModelGc,
                        asyncThreads, componentModelMoreAsyncBuiltins, componentModelAsyncStackful,
                        componentModelThreading);
            }
        }
    }

    private final Config config;

    /** An engine with the default settings. */
    public Engine() {
        this(Config.defaults());
    }

    /**
     * An engine with these settings.
     *
     * @param config the settings; {@link #config()} returns it
     * @throws NullPointerException if {@code config} is null
     * @throws IllegalArgumentException if wasmtime rejects the combination
     * @throws java.io.UncheckedIOException if the cache directory cannot be created
     */
    public Engine(Config config) {
        super(KIND, create(config));
        this.config = config;
    }

    private static long create(Config c) {
        Objects.requireNonNull(c, "config");
        return new0(c);
    }

    /**
     * The settings of this engine.
     *
     * @return the config it was created with
     */
    public Config config() {
        return config;
    }

    /**
     * Advances the epoch by one tick; stores whose epoch deadline is reached trap with {@link
     * TrapCode#INTERRUPT}. Safe to call from any thread, e.g. a timer.
     */
    public void incrementEpoch() {
        try {
            incrementEpoch0(address());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Compiles a component ahead of time; the result loads with {@code Component.deserialize} on an
     * engine with the same settings. Like {@code Component.serialize()}, it is a checked image:
     * a checksum, or a signature with the engine's {@link CompiledCodeKey}, guards the code.
     *
     * @param bytes a component, in binary form
     * @return the serialized compiled component
     * @throws CompileException if the bytes are not a valid component
     */
    public byte[] precompileComponent(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        try {
            return precompileComponent0(address(), bytes);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Creates the native engine; it reads the settings from the record's accessors. */
    private static native long new0(Config config);

    private static native void dispose0(long address);

    private static native void free0(long address);

    private static native void incrementEpoch0(long address);

    private static native byte[] precompileComponent0(long address, byte[] bytes);
}
