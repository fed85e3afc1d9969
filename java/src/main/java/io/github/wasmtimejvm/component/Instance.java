package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.TypeReader;
import io.github.wasmtimejvm.wit.NamedItem;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An instantiated component, living in its {@link Store}. Look up exported functions at the root
 * ({@code func("add")}) or inside an exported interface ({@code func("docs:calc/ops@1.0.0",
 * "add")}, or {@code func("docs:calc/ops@1.0.0#add")}).
 *
 * <p>An instance is usable while its store is open, from the thread using the store.
 */
public final class Instance {

    private final Store store;
    private final Component component;
    private final int id;
    private final ConcurrentHashMap<String, Func> funcs = new ConcurrentHashMap<>();

    Instance(Store store, Component component, int id) {
        this.store = store;
        this.component = component;
        this.id = id;
    }

    /**
     * The store this instance lives in.
     *
     * @return the store it was instantiated in
     */
    public Store store() {
        return store;
    }

    /** The id of this instance in its store, for the natives of this package. */
    int id() {
        return id;
    }

    /**
     * The component this instance was made from.
     *
     * @return the instantiated component
     */
    public Component component() {
        return component;
    }

    /**
     * The exported function {@code name}: a root export such as {@code "add"}, or {@code
     * "interface#name"} for a function inside an exported interface.
     *
     * @param name the export's name
     * @return the function; looking the same name up again returns the same {@link Func}
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export (the
     *     message lists those that exist)
     * @throws IllegalArgumentException if the export is not a function
     */
    public Func func(String name) {
        Objects.requireNonNull(name, "name");
        int hash = name.lastIndexOf('#');
        if (hash > 0 && hash < name.length() - 1) {
            return func(name.substring(0, hash), name.substring(hash + 1));
        }
        return lookup(name, new String[] {name});
    }

    /**
     * The function {@code name} inside the exported interface {@code interfaceName} (such as
     * {@code docs:calc/ops@1.0.0}).
     *
     * @param interfaceName the exported interface's name
     * @param name the function's name inside it
     * @return the function; looking it up again returns the same {@link Func}
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export
     * @throws IllegalArgumentException if {@code interfaceName} is not an exported instance, or
     *     the export is not a function
     */
    public Func func(String interfaceName, String name) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(name, "name");
        return lookup(interfaceName + "#" + name, new String[] {interfaceName, name});
    }

    private Func lookup(String key, String[] path) {
        Func f = funcs.get(key);
        if (f != null) {
            return f;
        }
        try {
            long storeAddress = Internals.address(store);
            int funcId = func0(storeAddress, id, path);
            f = new Func(store, funcId, key, TypeReader.funcType(Func.type0(storeAddress, funcId)));
        } finally {
            Reference.reachabilityFence(store);
        }
        Func previous = funcs.putIfAbsent(key, f);
        return previous == null ? f : previous;
    }

    /**
     * The root exports with their types.
     *
     * @return each root export's name and type: functions, interfaces, resources and the rest
     */
    public List<NamedItem> exports() {
        return exports0(new String[0]);
    }

    /**
     * The exports of the exported interface {@code interfaceName}.
     *
     * @param interfaceName the exported interface's name, such as {@code docs:calc/ops@1.0.0}
     * @return the name and type of each item in the interface
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export
     * @throws IllegalArgumentException if the export is not an instance
     */
    public List<NamedItem> exports(String interfaceName) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        return exports0(new String[] {interfaceName});
    }

    private List<NamedItem> exports0(String[] path) {
        try {
            return TypeReader.items(exports0(Internals.address(store), id, path));
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * A Java interface bound to this instance's exports: calling a method calls the exported
     * function of its name. With {@link WitInterface} on {@code api} the exported interface of that
     * name is bound (as {@link #bind(String, Class)} would), otherwise the root functions.
     *
     * <pre>{@code
     * @WitInterface("docs:calc/ops@1.0.0")
     * interface Ops {
     *     int add(int a, int b);                 // u32 add(a: u32, b: u32): u32 as int bits
     *     Point mirror(Point p);                 // record point { x: s32, y: s32 }
     *     String describe(Shape s);              // variant shape as a sealed interface of records
     *     long divide(long a, long b) throws WitErrorException; // result<s64, string>
     * }
     * Ops ops = instance.bind(Ops.class);
     * int three = ops.add(1, 2);
     * }</pre>
     *
     * <h4>Names</h4>
     * A method {@code addThree} binds the function {@code add-three} ({@link WitName} gives an
     * exact name instead); record components match fields the same way, Java enum constants {@code
     * NONE_SHAPE} the case {@code none-shape}, and the record classes of a sealed interface {@code
     * NoneShape} the variant case {@code none-shape}.
     *
     * <h4>Types</h4>
     * <table>
     *   <caption>WIT types and the Java types a bound method may declare for them</caption>
     *   <tr><th>WIT</th><th>Java</th></tr>
     *   <tr><td>bool</td><td>boolean, Boolean</td></tr>
     *   <tr><td>s8, s16, s32, s64</td><td>byte, short, int, long, or any wider integral type
     *       (arguments range-checked), BigInteger</td></tr>
     *   <tr><td>u8, u16, u32, u64</td><td>byte, short, int, long holding the bits (read them with
     *       {@code Integer.toUnsignedLong} and the like), or a wider type holding the value exactly
     *       (u64: BigInteger)</td></tr>
     *   <tr><td>f32, f64</td><td>float, double (an f32 also as double)</td></tr>
     *   <tr><td>char</td><td>int (the code point), String, char (Basic Multilingual Plane only)</td></tr>
     *   <tr><td>string</td><td>String</td></tr>
     *   <tr><td>list&lt;u8&gt;</td><td>byte[]</td></tr>
     *   <tr><td>list&lt;T&gt;, list&lt;T, N&gt;</td><td>List&lt;T&gt;, T[]</td></tr>
     *   <tr><td>map&lt;K, V&gt;</td><td>Map&lt;K, V&gt;</td></tr>
     *   <tr><td>record</td><td>a Java record with a component per field</td></tr>
     *   <tr><td>tuple</td><td>a Java record with a component per element, in order (it may be
     *       generic: {@code record Pair<A, B>(A first, B second)})</td></tr>
     *   <tr><td>variant</td><td>a sealed interface whose permitted records are the cases (no
     *       component for a case without payload, one for its payload), or a Java enum when no
     *       case has a payload</td></tr>
     *   <tr><td>enum</td><td>a Java enum</td></tr>
     *   <tr><td>option&lt;T&gt;</td><td>Optional&lt;T&gt;</td></tr>
     *   <tr><td>result&lt;T, E&gt;</td><td>{@link Result}{@code <T, E>} ({@code Void} for a side
     *       without type); as a method's result also {@code T} with a declared checked exception
     *       for {@code err}: {@link WitErrorException}, or any exception class with a public
     *       constructor taking {@code E}</td></tr>
     *   <tr><td>flags</td><td>Set&lt;E&gt; of a Java enum E (an EnumSet when returned)</td></tr>
     *   <tr><td>own&lt;R&gt;, borrow&lt;R&gt;</td><td>a Java interface standing for the resource,
     *       whose methods are its {@code [method]}s and whose {@code close()} drops it, or
     *       {@link Resource}; the resource's constructor and static functions are methods of the
     *       bound interface with {@code @WitName("[constructor]r")}, {@code @WitName("[static]r.f")}</td></tr>
     *   <tr><td>any</td><td>{@link Val}, or Object for the plain mapping of {@link Func#call}</td></tr>
     * </table>
     *
     * <p>The binding is checked when it is made: every abstract method must match a function, and
     * every type fit; a {@link BindException} lists all problems at once. Default methods run as
     * written. A bound call follows the store's rules like {@link Func#call}; its cost is that of
     * the function's fastest path ({@link ScalarFunc} for all-scalar functions).
     *
     * @param <T> the interface
     * @param api the Java interface to implement
     * @return an implementation of {@code api} calling this instance
     * @throws BindException if a method or type does not fit
     * @throws io.github.wasmtimejvm.UnknownExportException if the instance has no export named by
     *     {@link WitInterface}
     * @throws IllegalArgumentException if {@code api} is not an interface
     */
    public <T> T bind(Class<T> api) {
        Objects.requireNonNull(api, "api");
        WitInterface named = api.getAnnotation(WitInterface.class);
        return ExportBinding.bind(this, named == null ? null : named.value(), api);
    }

    /**
     * A Java interface bound to the functions of the exported interface {@code interfaceName}, as
     * {@link #bind(Class)} describes.
     *
     * @param <T> the interface
     * @param interfaceName the exported interface, such as {@code docs:calc/ops@1.0.0}
     * @param api the Java interface to implement
     * @return an implementation of {@code api} calling this instance
     * @throws BindException if a method or type does not fit
     * @throws io.github.wasmtimejvm.UnknownExportException if there is no such export
     * @throws IllegalArgumentException if {@code api} is not an interface, or the export is not an
     *     interface
     */
    public <T> T bind(String interfaceName, Class<T> api) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(api, "api");
        return ExportBinding.bind(this, interfaceName, api);
    }

    @Override
    public String toString() {
        return "Instance[" + id + "]";
    }

    private static native int func0(long store, int instance, String[] path);

    private static native byte[] exports0(long store, int instance, String[] path);
}
