package io.github.wasmtimejvm.conformance;

import io.github.wasmtimejvm.component.HostResourceType;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.component.LinkerInstance;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import java.util.List;

/**
 * The host functions wasmtime's own wast runner gives the component-model tests (its
 * {@code link_component_spectest} and {@code register_wasmtime}), as far as the public Java API
 * can define them. Written from the behaviour the tests expect, one instance per script (the
 * drop counters are per script, as in wasmtime's runner).
 *
 * <p>Defined: {@code host-return-two}, {@code host-echo-u32} (synchronous here), and in instance
 * {@code host}: {@code return-three}, {@code return-hi}, the resources {@code resource1}, {@code
 * resource2}, {@code resource1-again} and the {@code resource1} constructor, statics and methods.
 *
 * <p>Not definable through the public API (tests that import them fail to link, and are listed
 * in the exclusions with this reason):
 *
 * <ul>
 *   <li>{@code host.nested.return-four}: {@link LinkerInstance} has no nested instances;
 *   <li>{@code host.simple-module}: a {@link Linker} cannot define core modules;
 *   <li>{@code resource1-again} as the <em>same</em> type as {@code resource1}: a {@link
 *       HostResourceType} is defined under its one name, so here it is a distinct type;
 *   <li>the concurrent functions ({@code never-return}, {@code return-two-slowly}, {@code
 *       echo-slowly}, {@code [method]resource1.never-return}) and {@code wasmtime.gc}, {@code
 *       wasmtime.set-max-table-capacity}: only the skipped {@code async/} and {@code gc/} tests
 *       use them, and the API has no asynchronous host functions, GC or table-capacity controls.
 * </ul>
 */
final class SuiteHost {

    /** The host's representation of a {@code resource1}/{@code resource2}: the u32 {@code rep}. */
    record Rep(long rep) {}

    private int drops;
    private long lastDrop;

    void define(Linker linker) {
        WitType u32 = WitType.Primitive.U32;
        linker.root()
                .func("host-return-two", FuncType.builder().result(u32).build(), args -> 2L)
                .func("host-echo-u32", FuncType.of("v", u32).returning(u32), args -> args[0]);

        HostResourceType<Rep> resource1 = HostResourceType.create("resource1", Rep.class, r -> {
            drops++;
            lastDrop = r.rep();
        });
        HostResourceType<Rep> resource2 = HostResourceType.create("resource2", Rep.class, r -> {});
        HostResourceType<Rep> again = HostResourceType.create("resource1-again", Rep.class, r -> {
            throw new IllegalStateException("resource1-again shouldn't be destroyed");
        });

        LinkerInstance host = linker.instance("host");
        host.resource(resource1).resource(resource2).resource(again);
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
    }

    private static void expectRep(Object resource, long rep) {
        if (!(resource instanceof Rep r) || r.rep() != rep) {
            throw new IllegalStateException("expected resource1 with rep " + rep + ", got " + resource);
        }
    }

    /** What the suite imports that this host cannot define, for reports. */
    static List<String> undefinable() {
        return List.of("host.nested.return-four", "host.simple-module",
                "host.resource1-again (as the same type as resource1)");
    }
}
