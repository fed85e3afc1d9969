package examples;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Func;
import io.github.wasmtimejvm.component.Linker;
import java.nio.file.Path;

/**
 * Calls a component's export: compile once, instantiate in a store, call with Java values.
 *
 * <pre>
 * java examples.CallComponent                 # a built-in component exporting add(a, b)
 * java examples.CallComponent add.wasm        # or any component exporting add: func(u32, u32) -> u32
 * </pre>
 */
public final class CallComponent {

    static final String ADD = """
            (component
              (core module $m
                (func (export "add") (param i32 i32) (result i32)
                  (i32.add (local.get 0) (local.get 1))))
              (core instance $i (instantiate $m))
              (func (export "add") (param "a" u32) (param "b" u32) (result u32)
                (canon lift (core func $i "add"))))
            """;

    private CallComponent() {}

    public static void main(String[] args) {
        try (Engine engine = new Engine();
                Component component = args.length > 0
                        ? Component.fromFile(engine, Path.of(args[0]))
                        : Component.fromWat(engine, ADD);
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            System.out.print(component.wit());
            Func add = linker.instantiate(store, component).func("add");
            System.out.println("add(1, 2) = " + add.call(1, 2));
            System.out.println("add(4294967295, 1) = " + add.call(4294967295L, 1) + " (u32 wraps)");
        }
    }
}
