package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.CallBuffer;
import io.github.wasmtimejvm.internal.Internals;
import io.github.wasmtimejvm.internal.StoreResources;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import java.lang.invoke.MethodType;
import java.lang.ref.Reference;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An exported component function.
 *
 * <p>Three ways to call it:
 *
 * <ul>
 *   <li>{@link #call(Object...)} with plain Java values, converted by the function's WIT types;
 *   <li>{@link #callValues(Val...)} with {@link Val}s, the exact value model;
 *   <li>{@link #scalar()}, a fast path without allocation for functions whose parameters and
 *       result are all numbers, bools or chars;
 *   <li>{@link #callAsync(Object...)} and {@link #callValuesAsync(List)}, which return a
 *       {@link CompletableFuture} at once and run the guest on the engine's async workers.
 * </ul>
 *
 * <h2>Plain Java mapping</h2>
 *
 * <table>
 *   <caption>WIT types and Java values</caption>
 *   <tr><th>WIT</th><th>accepted as argument</th><th>returned as</th></tr>
 *   <tr><td>bool</td><td>Boolean</td><td>Boolean</td></tr>
 *   <tr><td>s8, s16, s32, s64</td><td>any integral Number in range</td><td>Byte, Short, Integer, Long</td></tr>
 *   <tr><td>u8, u16, u32</td><td>any integral Number in range (never wrapped)</td><td>Short, Integer, Long</td></tr>
 *   <tr><td>u64</td><td>a non-negative integral Number, or BigInteger below 2^64</td><td>BigInteger</td></tr>
 *   <tr><td>f32, f64</td><td>Float, Double (narrowed only when exact), exact integers</td><td>Float, Double</td></tr>
 *   <tr><td>char</td><td>Character, Integer code point, one-code-point String</td><td>String of one code point</td></tr>
 *   <tr><td>string</td><td>CharSequence</td><td>String</td></tr>
 *   <tr><td>list&lt;u8&gt;</td><td>byte[], or a list</td><td>byte[]</td></tr>
 *   <tr><td>list, fixed-length list, tuple</td><td>List, Collection, array</td><td>unmodifiable List</td></tr>
 *   <tr><td>map</td><td>java.util.Map</td><td>unmodifiable Map in order</td></tr>
 *   <tr><td>record</td><td>a Java record whose components match the fields ({@code first-name} =
 *       {@code firstName}), a Map by field name, or a List of the field values in field order
 *       (the cheapest form for many records)</td><td>Map by field name, or the record class
 *       given to {@link #callAs}</td></tr>
 *   <tr><td>variant</td><td>{@link Variant}, or an enum constant for a case without payload</td><td>{@link Variant}</td></tr>
 *   <tr><td>enum</td><td>String case name, or a Java enum constant ({@code NONE_SHAPE} = {@code none-shape})</td><td>String, or the enum class given to {@link #callAs}</td></tr>
 *   <tr><td>option</td><td>Optional, or null for none</td><td>Optional</td></tr>
 *   <tr><td>result</td><td>{@link Result}</td><td>{@link Result}</td></tr>
 *   <tr><td>flags</td><td>a Set of flag names (or enum constants)</td><td>unmodifiable Set of names</td></tr>
 *   <tr><td>own, borrow</td><td>{@link Resource}</td><td>{@link Resource}</td></tr>
 * </table>
 *
 * <p>A {@link Val} is accepted anywhere in place of a plain value. Arguments that do not fit
 * throw {@link IllegalArgumentException} naming the parameter and the expected and found types.
 * Calls use the store's thread rules (see {@link Store}).
 */
@SuppressWarnings("try") // the `running` scopes mark calls in progress; their bodies need not use them
public final class Func {

    private final Store store;
    private final int id;
    private final String name;
    private final FuncType type;
    private volatile ScalarFunc scalar;

    Func(Store store, int id, String name, FuncType type) {
        this.store = store;
        this.id = id;
        this.name = name;
        this.type = type;
    }

    /**
     * The export path this function was looked up by.
     *
     * @return the name, or interface and name, given to {@code Instance.func}
     */
    public String name() {
        return name;
    }

    /**
     * The function's type.
     *
     * @return the parameter and result types
     */
    public FuncType type() {
        return type;
    }

    /**
     * The store the function's instance lives in.
     *
     * @return the store the call runs in
     */
    public Store store() {
        return store;
    }

    int id() {
        return id;
    }

    /**
     * Calls the function with plain Java values (or {@link Val}s).
     *
     * @param args one plain Java value per parameter (see the class comment for the mapping)
     * @return null for a function without results, the result for one, an unmodifiable List for
     *     several
     * @throws IllegalArgumentException if an argument does not fit its parameter
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     * @throws IllegalStateException if the store is closed or in use by another thread
     */
    public Object call(Object... args) {
        return callAs((Type) null, args);
    }

    /**
     * Calls the function and converts its single result to {@code resultType}: a Java record for a
     * WIT record, a Java enum for an enum, a numeric class for a number that fits.
     *
     * @param <T> the Java type of the result
     * @param resultType the class to convert the result to
     * @param args one plain Java value per parameter
     * @return the converted result
     * @throws IllegalArgumentException if an argument does not fit its parameter, or the result
     *     cannot be converted to {@code resultType} (the function has run by then)
     * @throws ArithmeticException if a numeric result does not fit the numeric {@code resultType}
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public <T> T callAs(Class<T> resultType, Object... args) {
        Objects.requireNonNull(resultType, "resultType");
        Object result = callAs((Type) resultType, args);
        // The conversion is best effort: a result it cannot turn into resultType (a u32 asked for
        // as Boolean, a record as an enum) must not come back typed as T.
        Class<?> boxed = MethodType.methodType(resultType).wrap().returnType();
        if (result != null && !boxed.isInstance(result)) {
            throw new IllegalArgumentException("cannot convert the result of `" + name + "` ("
                    + (type.results().size() == 1 ? type.results().get(0) : type) + ") to "
                    + resultType.getName() + "; it maps to " + result.getClass().getName());
        }
        @SuppressWarnings("unchecked")
        T t = (T) result;
        return t;
    }

    private Object callAs(Type resultType, Object[] args) {
        StoreResources resources = Internals.resources(store);
        try (StoreResources.Call running = resources.call()) {
            return callAndRead(resultType, args);
        } finally {
            CallBuffer.get().trim();
        }
    }

    /**
     * Calls with the codecs of a typed binding ({@link ExportBinding}): one per argument, and the
     * result's (null when the function returns nothing).
     */
    Object callBound(Object[] args, Codec[] codecs, Codec result) {
        StoreResources resources = Internals.resources(store);
        try (StoreResources.Call running = resources.call()) {
            int length = invoke(args, codecs);
            if (result == null) {
                return null;
            }
            return result.read(new ValueDecoder(CallBuffer.get().results(length), store));
        } finally {
            CallBuffer.get().trim();
        }
    }

    private Object callAndRead(Type resultType, Object[] args) {
        int length = invoke(args == null ? new Object[] {null} : args, null);
        return readPlain(CallBuffer.get().results(length), resultType);
    }

    /** Decodes the results of a call by the plain mapping. */
    private Object readPlain(ByteBuffer in, Type resultType) {
        ValueDecoder decoder = new ValueDecoder(in, store);
        List<WitType> results = type.results();
        if (results.isEmpty()) {
            return null;
        }
        if (results.size() == 1) {
            return decoder.readPlain(results.get(0), resultType);
        }
        Object[] out = new Object[results.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = decoder.readPlain(results.get(i), null);
        }
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    /**
     * Calls the function with {@link Val}s.
     *
     * @param args one value per parameter, of the parameter's type
     * @return the results (empty for a function without results)
     * @throws IllegalArgumentException if an argument does not match its parameter's type
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public List<Val> callValues(Val... args) {
        return callValues(Arrays.asList(args));
    }

    /**
     * Calls the function with {@link Val}s.
     *
     * @param args one value per parameter, of the parameter's type
     * @return the results (empty for a function without results)
     * @throws IllegalArgumentException if an argument does not match its parameter's type
     * @throws io.github.wasmtimejvm.TrapException if the guest traps
     */
    public List<Val> callValues(List<? extends Val> args) {
        StoreResources resources = Internals.resources(store);
        try (StoreResources.Call running = resources.call()) {
            int length = invoke(args.toArray(), null);
            return readVals(length, type.results());
        } finally {
            CallBuffer.get().trim();
        }
    }

    private List<Val> readVals(int length, List<WitType> types) {
        return readVals(CallBuffer.get().results(length), types);
    }

    private List<Val> readVals(ByteBuffer in, List<WitType> types) {
        ValueDecoder decoder = new ValueDecoder(in, store);
        if (types.size() == 1) {
            return List.of(decoder.readVal(types.get(0)));
        }
        List<Val> out = new ArrayList<>(types.size());
        for (WitType t : types) {
            out.add(decoder.readVal(t));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Encodes the arguments (through {@code codecs} when given, else by the plain mapping), calls,
     * and returns the result length for {@link CallBuffer#results}.
     */
    /**
     * Checks the argument count and encodes the arguments into this thread's call buffer
     * (through {@code codecs} when given, else by the plain mapping).
     */
    private ValueEncoder encode(Object[] args, Codec[] codecs) {
        List<FuncType.Param> params = type.params();
        if (args.length != params.size()) {
            throw new IllegalArgumentException("`" + name + "` takes " + params.size() + " argument"
                    + (params.size() == 1 ? "" : "s") + " (" + type + "), got " + args.length);
        }
        // A closed store fails here, before host objects among the arguments enter its table.
        Internals.address(store);
        Reference.reachabilityFence(store);
        CallBuffer buffer = CallBuffer.get().begin();
        ValueEncoder encoder = new ValueEncoder(buffer, store);
        for (int i = 0; i < args.length; i++) {
            try {
                if (codecs == null) {
                    encoder.write(args[i], params.get(i).type());
                } else {
                    codecs[i].write(encoder, args[i]);
                }
            } catch (PlainJava.Mismatch m) {
                encoder.abandon();
                throw new IllegalArgumentException("argument `" + params.get(i).name() + "` of `" + name + "`: "
                        + m.getMessage());
            }
        }
        return encoder;
    }

    private int invoke(Object[] args, Codec[] codecs) {
        ValueEncoder encoder = encode(args, codecs);
        CallBuffer buffer = CallBuffer.get();
        boolean passed = false;
        try {
            int length = call0(Internals.address(store), id, buffer.length());
            passed = true;
            return length;
        } catch (RuntimeException e) {
            // The native call sequence says whether the guest got the arguments: not when the
            // store refused the call (closed, in use, re-entered) or an argument did not fit,
            // and then the host keeps what it passed; otherwise the guest took the owned ones,
            // whatever became of the call.
            passed = passed0();
            throw e;
        } finally {
            if (passed) {
                for (Resource r : encoder.transferred()) {
                    r.transferred();
                }
                encoder.endLoans();
            } else {
                encoder.abandon();
            }
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Calls the function asynchronously with plain Java values (or {@link Val}s): the guest runs
     * on one of the engine's async worker threads (see {@code Engine.Config.Builder.asyncThreads}),
     * and the returned future completes with what {@link #call(Object...)} would return, or
     * exceptionally with what it would throw ({@link io.github.wasmtimejvm.TrapException},
     * {@link io.github.wasmtimejvm.TimeoutException}, ...). Dependent stages that name no executor
     * run in {@link java.util.concurrent.ForkJoinPool#commonPool()}, never on the engine's workers.
     *
     * <p>The arguments are read before this method returns, so they may be changed afterwards.
     * The store is taken for the whole call: until the future completes, every other call on it
     * (synchronous or not) fails at once with {@link IllegalStateException}. Give each concurrent
     * call its own {@link Store} (for instance from an {@link InstancePre}).
     *
     * <p>{@link CompletableFuture#cancel(boolean) cancel}, {@link
     * CompletableFuture#completeExceptionally} and {@link CompletableFuture#orTimeout} stop the
     * guest: at once when it waits on a host, and within one epoch tick (about 5 ms) when it runs
     * wasm, if the engine has {@code epochInterruption} (or within a fuel slice if it consumes
     * fuel). An engine with neither cannot stop a guest that never waits; it runs to its end. The
     * store is free again once the guest has stopped, and a call made on it meanwhile waits for
     * that (up to 5 seconds, then it fails as on a busy store); if the guest had started, then like a store
     * whose guest trapped it refuses to enter its components again ({@link io.github.wasmtimejvm.TrapCode#CANNOT_ENTER_COMPONENT}),
     * so make a new store (cheaply, from an {@link InstancePre}). The store's time limit applies as
     * to {@link #call}.
     *
     * @param args one plain Java value per parameter (see the class comment for the mapping)
     * @return the call's future: null for a function without results, the result for one, an
     *     unmodifiable List for several
     * @throws IllegalArgumentException if an argument does not fit its parameter (nothing runs)
     * @throws IllegalStateException if the store is closed or running another call (nothing runs)
     */
    public CompletableFuture<Object> callAsync(Object... args) {
        return startAsync(args == null ? new Object[] {null} : args, in -> readPlain(in, null));
    }

    /**
     * Calls the function asynchronously with {@link Val}s; see {@link #callAsync(Object...)}.
     *
     * @param args one value per parameter, of the parameter's type
     * @return the call's future, completing with the results (empty for a function without
     *     results)
     * @throws IllegalArgumentException if an argument does not match its parameter's type
     * @throws IllegalStateException if the store is closed or running another call
     */
    public CompletableFuture<List<Val>> callValuesAsync(List<? extends Val> args) {
        return startAsync(args.toArray(), in -> readVals(in, type.results()));
    }

    private <T> CompletableFuture<T> startAsync(Object[] args, Function<ByteBuffer, T> read) {
        StoreResources resources = Internals.resources(store);
        StoreResources.Call running = resources.call();
        boolean started = false;
        try {
            ValueEncoder encoder = encode(args, null);
            try {
                AsyncCall<T> call = AsyncCall.start(store, id, CallBuffer.get().length(), encoder, running, read);
                started = true;
                for (Resource r : encoder.transferred()) {
                    r.transferred();
                }
                return call;
            } finally {
                if (!started) {
                    encoder.abandon();
                }
            }
        } finally {
            if (!started) {
                running.close();
            }
            CallBuffer.get().trim();
            Reference.reachabilityFence(store);
        }
    }

    /**
     * The scalar fast path for this function.
     *
     * @return a fast path that calls this function with {@code long} slots
     * @throws IllegalArgumentException if a parameter or the result is not a number, bool or
     *     char, or there is more than one result
     */
    public ScalarFunc scalar() {
        ScalarFunc s = scalar;
        if (s == null) {
            if (!type.isScalar()) {
                throw new IllegalArgumentException("`" + name + "` has type " + type
                        + ", which is not all scalars (numbers, bool, char, at most one result, at most "
                        + FuncType.MAX_SCALAR_PARAMS + " parameters), so it has no scalar fast path");
            }
            s = new ScalarFunc(this);
            scalar = s;
        }
        return s;
    }

    /**
     * Parses WAVE text for this function's arguments, e.g. {@code 1, 2} or {@code "hi", [1, 2]}
     * (the syntax of {@code wasmtime run --invoke}).
     *
     * @param arguments the arguments, separated by commas, without the surrounding parentheses
     * @return one value per parameter, ready for {@link #callValues(List)}
     * @throws IllegalArgumentException if the text is not valid WAVE for the parameters (the
     *     message's byte positions count from the start of {@code arguments})
     */
    public List<Val> parseWaveArguments(String arguments) {
        Objects.requireNonNull(arguments, "arguments");
        int length;
        try {
            CallBuffer.get().begin();
            length = parseWave0(Internals.address(store), id, arguments);
        } finally {
            Reference.reachabilityFence(store);
        }
        List<WitType> types = new ArrayList<>(type.params().size());
        for (FuncType.Param p : type.params()) {
            types.add(p.type());
        }
        ByteBuffer in = CallBuffer.get().results(length);
        ValueDecoder decoder = new ValueDecoder(in, store);
        List<Val> out = new ArrayList<>(types.size());
        for (WitType t : types) {
            out.add(decoder.readVal(t));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Prints a value of this function's result type {@code index} as WAVE, exactly as {@code
     * wasmtime run --invoke} prints it.
     *
     * @param index the position of the result in {@code type().results()}
     * @param value a value of that type
     * @return the WAVE text
     * @throws IndexOutOfBoundsException if the function has no result {@code index}
     * @throws IllegalArgumentException if {@code value} does not have the result's type, or the type
     *     holds resources (WAVE has no syntax for them)
     */
    public String formatWave(int index, Val value) {
        Objects.requireNonNull(value, "value");
        WitType t = type.results().get(Objects.checkIndex(index, type.results().size()));
        if (containsResource(t)) {
            // Refused before encoding: encoding a resource value hands it over (a guest resource
            // leaves the host's table, a host object enters it) and WAVE could not print it anyway.
            throw new IllegalArgumentException("result " + index + " of `" + name + "` has type " + t
                    + ": cannot print value as WAVE: WAVE has no syntax for resource values");
        }
        CallBuffer buffer = CallBuffer.get().begin();
        try {
            new ValueEncoder(buffer, store).write(value, t);
        } catch (PlainJava.Mismatch m) {
            throw new IllegalArgumentException("result " + index + " of `" + name + "`: " + m.getMessage());
        }
        try {
            return formatWave0(Internals.address(store), id, index, buffer.length());
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /** Whether values of {@code t} are or hold resource handles ({@code own} or {@code borrow}). */
    private static boolean containsResource(WitType t) {
        if (t == null) {
            return false;
        }
        if (t instanceof WitType.OwnType || t instanceof WitType.BorrowType) {
            return true;
        }
        if (t instanceof WitType.ListType l) {
            return containsResource(l.element());
        }
        if (t instanceof WitType.FixedListType l) {
            return containsResource(l.element());
        }
        if (t instanceof WitType.MapType m) {
            return containsResource(m.key()) || containsResource(m.value());
        }
        if (t instanceof WitType.RecordType r) {
            return r.fields().stream().anyMatch(f -> containsResource(f.type()));
        }
        if (t instanceof WitType.TupleType u) {
            return u.types().stream().anyMatch(Func::containsResource);
        }
        if (t instanceof WitType.VariantType v) {
            return v.cases().stream().anyMatch(c -> containsResource(c.type()));
        }
        if (t instanceof WitType.OptionType o) {
            return containsResource(o.type());
        }
        if (t instanceof WitType.ResultType r) {
            return containsResource(r.ok()) || containsResource(r.err());
        }
        return false;
    }

    @Override
    public String toString() {
        return name + ": " + type;
    }

    static native byte[] type0(long store, int func);

    /** Whether the last {@link #call0} on this thread, which failed, passed its arguments. */
    private static native boolean passed0();

    private static native int call0(long store, int func, int argLength);

    private static native int parseWave0(long store, int func, String arguments);

    private static native String formatWave0(long store, int func, int index, int length);
}
