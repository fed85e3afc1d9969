package io.github.wasmtimejvm.conformance;

import io.github.wasmtimejvm.component.HostResourceType;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.LinkerInstance;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.module.Module;
import io.github.wasmtimejvm.wit.WitType;
import java.util.concurrent.CompletableFuture;

/**
 * The host functions wasmtime's own wast runner gives the component-model tests (its
 * {@code link_component_spectest} and {@code register_wasmtime}), as far as the public Java API
 * can define them. Written from the behaviour the tests expect, one instance per script (the
 * drop counters are per script, as in wasmtime's runner).
 *
 * <p>Defined: {@code host-return-two}, {@code host-echo-u32}, and in instance
 * {@code host}: {@code return-three}, {@code return-hi}, {@code nested.return-four} (a nested
 * linker instance), the core module {@code simple-module} (exporting global {@code g} = 100 and
 * function {@code f} returning 101), the resources {@code resource1}, {@code resource2} and
 * {@code resource1-again} (the same type as {@code resource1}, defined under a second name), and
 * the {@code resource1} constructor, statics and methods.
 *
 * <p>On an engine with concurrency support (the {@code async/} scripts) the runner's concurrent
 * functions are defined too, with their {@code async func} types, behaving as the runner's do:
 * {@code host-echo-u32} answers at once (a concurrent function that does not wait); {@code
 * host.never-return} and {@code host.[method]resource1.never-return} never answer (their stages
 * never complete); {@code host.return-two-slowly} and {@code host.echo-slowly} answer later, from
 * another thread, after the guest went on. Elsewhere {@code host-echo-u32} is an ordinary
 * synchronous function (no script there imports it as {@code async}).
 *
 * <p>Not defined: {@code wasmtime.gc} and {@code wasmtime.set-max-table-capacity}, controls of
 * wasmtime's runner the API has no counterpart for.
 */
final class SuiteHost {

    /** The host's representation of a {@code resource1}/{@code resource2}: the u32 {@code rep}. */
    record Rep(long rep) {}

    private int drops;
    private long lastDrop;
    private Module simpleModule;

    void define(Linker linker) {
        WitType u32 = WitType.Primitive.U32;
        boolean concurrent = linker.engine().config().concurrencySupport();
        FuncType echoType = FuncType.of("v", u32).returning(u32);
        linker.root()
                .func("host-return-two", FuncType.builder().result(u32).build(), args -> 2L)
                .func("host-echo-u32", concurrent ? echoType.asAsync() : echoType, args -> args[0]);

        HostResourceType<Rep> resource1 = HostResourceType.create("resource1", Rep.class, r -> {
            drops++;
            lastDrop = r.rep();
        });
        HostResourceType<Rep> resource2 = HostResourceType.create("resource2", Rep.class, r -> {});

        LinkerInstance host = linker.instance("host");
        // resource1-again is resource1 under a second name: the same type.
        host.resource(resource1).resource(resource2).resource("resource1-again", resource1);
        host.instance("nested").func("return-four", FuncType.builder().result(u32).build(), args -> 4L);
        simpleModule = Module.fromWat(linker.engine(),
                "(module (global (export \"g\") i32 i32.const 100) (func (export \"f\") (result i32) i32.const 101))");
        host.module("simple-module", simpleModule);
        host.func("return-three", FuncType.builder().result(u32).build(), args -> 3L);
        host.func("return-hi", FuncType.builder().result(WitType.Primitive.STRING).build(), args -> "hi");
        host.func("[constructor]resource1", FuncType.of("r", u32).returning(resource1.own()),
                args -> new Rep((Long) args[0]));
        host.func("[static]resource1.assert", FuncType.of("r", resource1.own(), "rep", u32), args -> {
            expectRep(args[0], (Long) args[1]);
            return null;
        });
        host.func("[static]resource1.last-drop", FuncType.builder().result(u32).build(), args -> lastDrop);
        host.func("[static]resource1.drops", FuncType.builder().result(u32).build(), args -> (long) drops);
        host.func("[method]resource1.simple", FuncType.of("self", resource1.borrow(), "rep", u32), args -> {
            expectRep(args[0], (Long) args[1]);
            return null;
        });
        host.func("[method]resource1.take-borrow",
                FuncType.of("self", resource1.borrow(), "b", resource1.borrow()), args -> null);
        host.func("[method]resource1.take-own",
                FuncType.of("self", resource1.borrow(), "b", resource1.own()), args -> null);
        if (concurrent) {
            host.funcAsync("never-return", FuncType.builder().build().asAsync(),
                    args -> new CompletableFuture<>());
            host.funcAsync("[method]resource1.never-return",
                    FuncType.of("self", resource1.borrow()).asAsync(), args -> new CompletableFuture<>());
            host.funcAsync("return-two-slowly", FuncType.builder().result(WitType.Primitive.S32).build().asAsync(),
                    args -> CompletableFuture.supplyAsync(() -> 2L, LATER));
            host.funcAsync("echo-slowly", FuncType.of("val", u32).returning(u32).asAsync(),
                    args -> CompletableFuture.supplyAsync(() -> args[0], LATER));
        }
    }

    /** Where the slow functions answer: another thread, a moment after the guest went on. */
    private static final java.util.concurrent.Executor LATER =
            CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.MILLISECONDS);

    private static void expectRep(Object resource, long rep) {
        if (!(resource instanceof Rep r) || r.rep() != rep) {
            throw new IllegalStateException("expected resource1 with rep " + rep + ", got " + resource);
        }
    }

    /** Closes the core module defined for {@code host.simple-module}. */
    void close() {
        if (simpleModule != null) {
            simpleModule.close();
        }
    }
}
