package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.wit.WitType;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A resource type the host implements with Java objects, such as a key-value store's {@code
 * bucket}. Define it in a {@link Linker} with {@link LinkerInstance#resource}; declare the host
 * functions that create and use it with {@link #own()} and {@link #borrow()} in their types.
 *
 * <pre>{@code
 * HostResourceType<Map<String, String>> bucket =
 *         HostResourceType.create("bucket", Map.class, Map::clear);
 * LinkerInstance kv = linker.instance("docs:kv/store@1.0.0").resource(bucket);
 * kv.func("[constructor]bucket", FuncType.builder().result(bucket.own()).build(),
 *         args -> new HashMap<String, String>());
 * kv.func("[method]bucket.get", FuncType.of("self", bucket.borrow(), "key", STRING)
 *         .returning(new OptionType(STRING)), args -> Optional.ofNullable(((Map<?, ?>) args[0]).get(args[1])));
 * }</pre>
 *
 * <p>A host function receives its own Java object for an {@code own} or {@code borrow} argument
 * and returns a Java object for an {@code own} result, which the guest then owns. When the guest
 * drops an owned handle the destructor runs; objects the guest still holds when the store closes
 * are destroyed then and reported as leaks.
 *
 * <p>{@link LinkerInstance#resource(HostResourceType)} defines the type under its own name; {@link
 * LinkerInstance#resource(String, HostResourceType)} under another, and one type may be defined
 * under several names and in several linker instances: all of them are this one resource type,
 * so an import's equality constraint between them holds and a handle made under one name is
 * accepted under the other.
 *
 * @param <T> the Java class of the objects
 */
public final class HostResourceType<T> {

    private static final AtomicInteger NEXT = new AtomicInteger(1);
    private static final ConcurrentHashMap<Integer, HostResourceType<?>> BY_ID = new ConcurrentHashMap<>();

    private final String name;
    private final Class<?> javaType;
    private final Consumer<? super T> destructor;
    private final int id;

    private HostResourceType(String name, Class<?> javaType, Consumer<? super T> destructor) {
        this.name = name;
        this.javaType = javaType;
        this.destructor = destructor;
        this.id = NEXT.getAndIncrement();
    }

    /**
     * A new host resource type.
     *
     * @param name the resource's WIT name, e.g. {@code bucket}
     * @param javaType the class of the objects that stand for it
     * @param destructor runs when the guest drops an owned handle (may be null)
     * @param <T> the Java class of the objects
     * @return the new type, with an id of its own: two calls with the same arguments give two
     *     distinct resource types
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public static <T> HostResourceType<T> create(String name, Class<?> javaType, Consumer<? super T> destructor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(javaType, "javaType");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a resource name must not be empty");
        }
        HostResourceType<T> t = new HostResourceType<>(name, javaType, destructor);
        BY_ID.put(t.id, t);
        return t;
    }

    /**
     * The resource's WIT name.
     *
     * @return the name given to {@link #create}, e.g. {@code bucket}
     */
    public String name() {
        return name;
    }

    /**
     * The id that types refer to it by.
     *
     * @return the id, unique to this type within the process; {@link #own()} and {@link
     *     #borrow()} carry it
     */
    public int id() {
        return id;
    }

    /**
     * The type of an owned handle to this resource, for declaring host functions.
     *
     * @return {@code own<name>}, tied to this type by its {@link #id()}
     */
    public WitType.OwnType own() {
        return new WitType.OwnType(name, id);
    }

    /**
     * The type of a borrowed handle to this resource, for declaring host functions.
     *
     * @return {@code borrow<name>}, tied to this type by its {@link #id()}
     */
    public WitType.BorrowType borrow() {
        return new WitType.BorrowType(name, id);
    }

    static HostResourceType<?> byId(int id) {
        HostResourceType<?> t = BY_ID.get(id);
        if (t == null) {
            throw new IllegalStateException("no host resource type with id " + id);
        }
        return t;
    }

    Class<?> javaType() {
        return javaType;
    }

    boolean accepts(Object o) {
        return javaType.isInstance(o);
    }

    @SuppressWarnings("unchecked")
    Consumer<Object> destructor() {
        Consumer<? super T> d = destructor;
        return d == null ? null : o -> d.accept((T) o);
    }

    @Override
    public String toString() {
        return "HostResourceType[" + name + ", " + javaType.getName() + "]";
    }
}
