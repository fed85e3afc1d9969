package examples;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.HostResourceType;
import io.github.wasmtimejvm.component.Instance;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Host functions and a host resource: the host implements {@code docs:kv/store@1.0.0}, a
 * {@code bucket} resource backed by a Java {@link HashMap}, and the guest (the corpus's {@code
 * kv-host.wat}) creates buckets, stores and reads values, and drops them, which runs the Java
 * destructor.
 *
 * <pre>
 * java examples.HostResources corpus/components/kv-host.wat
 * </pre>
 */
public final class HostResources {

    private HostResources() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: HostResources <kv-host component>");
            System.exit(2);
        }
        AtomicInteger destroyed = new AtomicInteger();
        HostResourceType<Map<String, String>> bucket =
                HostResourceType.create("bucket", Map.class, b -> destroyed.incrementAndGet());
        FuncType ctor = FuncType.builder().param("name", Primitive.STRING).result(bucket.own()).build();
        FuncType get = FuncType.builder().param("self", bucket.borrow()).param("key", Primitive.STRING)
                .result(new WitType.OptionType(Primitive.STRING)).build();
        FuncType set = FuncType.builder().param("self", bucket.borrow()).param("key", Primitive.STRING)
                .param("value", Primitive.STRING).build();
        try (Engine engine = new Engine();
                Component guest = Component.fromFile(engine, Path.of(args[0]));
                Linker linker = new Linker(engine);
                Store store = new Store(engine)) {
            linker.instance("docs:kv/store@1.0.0").resource(bucket)
                    .func("[constructor]bucket", ctor, a -> new HashMap<String, String>())
                    .func("open", ctor, a -> new HashMap<String, String>())
                    .func("[method]bucket.get", get, a -> Optional.ofNullable(map(a[0]).get((String) a[1])))
                    .func("[method]bucket.set", set, a -> {
                        map(a[0]).put((String) a[1], (String) a[2]);
                        return null;
                    });
            Instance app = linker.instantiate(store, guest);
            System.out.println("roundtrip(greeting, hi) = " + app.func("docs:kv/app@1.0.0", "roundtrip").call("greeting", "hi"));
            System.out.println("churn(1000) = " + app.func("docs:kv/app@1.0.0", "churn").call(1000));
            System.out.println("buckets the guest dropped: " + destroyed.get());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> map(Object bucket) {
        return (Map<String, String>) bucket;
    }
}
