package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.wit.FuncType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where definitions go in a {@link Linker}: the root ({@link Linker#root()}) or an imported
 * interface ({@link Linker#instance(String)}, such as {@code docs:log/logger@1.0.0}).
 *
 * <pre>{@code
 * linker.instance("docs:log/logger@1.0.0")
 *       .func("log", FuncType.of("msg", WitType.Primitive.STRING), args -> {
 *           System.out.println(args[0]);
 *           return null;
 *       });
 * }</pre>
 *
 * <p>Each function is defined with the type the host expects; instantiating a component whose
 * import has another type fails with a {@link io.github.wasmtimejvm.LinkException} naming the
 * import and both types.
 */
public final class LinkerInstance {

    private final Linker linker;
    private final String[] path;

    LinkerInstance(Linker linker, String[] path) {
        this.linker = linker;
        this.path = path;
    }

    /** The interface path of this instance (empty for the root). */
    public String name() {
        return String.join("/", path);
    }

    /**
     * Defines a host function over plain Java values.
     *
     * @throws io.github.wasmtimejvm.LinkException if the name is already defined (and shadowing is
     *     off)
     */
    public LinkerInstance func(String name, FuncType type, HostFunction function) {
        Objects.requireNonNull(function, "function");
        linker.defineFunc(path, name, type, new HostFunctions.Entry(type, function, null));
        return this;
    }

    /**
     * Defines a host function over {@link Val}s.
     *
     * @throws io.github.wasmtimejvm.LinkException if the name is already defined (and shadowing is
     *     off)
     */
    public LinkerInstance funcValues(String name, FuncType type, ValHostFunction function) {
        Objects.requireNonNull(function, "function");
        linker.defineFunc(path, name, type, new HostFunctions.Entry(type, null, function));
        return this;
    }

    /**
     * Defines a host resource type here; host functions declared with its {@link
     * HostResourceType#own()} and {@link HostResourceType#borrow()} types take and return its Java
     * objects.
     */
    public LinkerInstance resource(HostResourceType<?> type) {
        Objects.requireNonNull(type, "type");
        linker.defineResource(path, type);
        return this;
    }

    @Override
    public String toString() {
        return "LinkerInstance" + Arrays.toString(path);
    }
}
