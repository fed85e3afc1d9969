package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.ItemType;
import io.github.wasmtimejvm.wit.NamedItem;
import io.github.wasmtimejvm.wit.WitType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a Java interface to a component instance's exports ({@link Instance#bind(Class)}): each
 * abstract method to the exported function of its name, each parameter and the result to a {@link
 * Codec} checked against the function's WIT type, and a resource type to a Java interface whose
 * methods are the resource's {@code [method]}s. Every problem is collected before anything is
 * bound, and reported together in one {@link BindException}.
 *
 * <p>A call on the binding goes straight to the codecs and the function: through {@link
 * ScalarFunc}'s slots when the function is all scalars, otherwise through the call buffer, with
 * no reflection on the way.
 */
final class ExportBinding {

    private static final Object[] NO_ARGS = new Object[0];

    private ExportBinding() {}

    static <T> T bind(Instance instance, String interfaceName, Class<T> api) {
        checkInterface(api);
        Binder binder = new Binder(instance, interfaceName);
        Map<Method, BoundMethod> methods = binder.methods(api, null);
        if (!binder.problems.isEmpty()) {
            throw new BindException(api.getName() + " does not fit " + binder.where(), binder.problems);
        }
        BoundHandler handler = new BoundHandler(methods, null,
                api.getSimpleName() + "[" + binder.where() + " of " + instance + "]");
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, handler));
    }

    static void checkInterface(Class<?> api) {
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface: a binding implements a Java interface");
        }
        if (api.isAnnotation() || api.isSealed()) {
            throw new IllegalArgumentException(api.getName() + " cannot be implemented by a binding (an annotation or a sealed interface)");
        }
    }

    /** The abstract methods a binding implements, in a stable order. */
    static List<Method> abstractMethods(Class<?> api) {
        List<Method> out = new ArrayList<>();
        for (Method m : api.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !isCloseOfAutoCloseable(m)) {
                out.add(m);
            }
        }
        out.sort((a, b) -> a.toString().compareTo(b.toString()));
        return out;
    }

    /** The public instance methods of a class or interface, but those of Object, in a stable order. */
    static List<Method> publicMethods(Class<?> cls) {
        List<Method> out = new ArrayList<>();
        for (Method m : cls.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class && !isCloseOfAutoCloseable(m)) {
                out.add(m);
            }
        }
        out.sort((a, b) -> a.toString().compareTo(b.toString()));
        return out;
    }

    static boolean isCloseOfAutoCloseable(Method m) {
        return m.getName().equals("close") && m.getParameterCount() == 0
                && AutoCloseable.class.isAssignableFrom(m.getDeclaringClass());
    }

    /** The exception a bound method throws for {@code err}, with the codec of its error value. */
    record ErrorMode(Codec error, MethodHandle factory, Class<?> type) {}

    /**
     * Finds the checked exception a method declares for the error case of a result: one with a
     * public constructor taking the error value (or nothing, when the result has no error type).
     */
    static ErrorMode errorMode(Method m, WitType.ResultType result, Codec.Factory codecs, String where) {
        for (Class<?> x : m.getExceptionTypes()) {
            if (RuntimeException.class.isAssignableFrom(x) || Error.class.isAssignableFrom(x)) {
                continue;
            }
            Constructor<?> chosen = null;
            for (Constructor<?> c : x.getConstructors()) {
                if (c.getParameterCount() == (result.err() == null ? 0 : 1)) {
                    chosen = c;
                }
            }
            if (chosen == null && result.err() == null) {
                for (Constructor<?> c : x.getConstructors()) {
                    if (c.getParameterCount() == 1 && !c.getParameterTypes()[0].isPrimitive()) {
                        chosen = c;
                    }
                }
            }
            if (chosen == null) {
                continue;
            }
            Codec error = null;
            if (result.err() != null) {
                Type t = chosen.getGenericParameterTypes()[0];
                error = codecs.of(result.err(), t, where + " (err, as the argument of " + x.getSimpleName() + "'s constructor)");
                if (error == null) {
                    return null;
                }
            }
            try {
                MethodHandle mh = MethodHandles.publicLookup().unreflectConstructor(chosen);
                if (chosen.getParameterCount() == 0) {
                    mh = MethodHandles.dropArguments(mh, 0, Object.class);
                }
                return new ErrorMode(error, mh.asType(MethodType.methodType(Throwable.class, Object.class)), x);
            } catch (IllegalAccessException e) {
                codecs.problems.add(where + ": cannot construct " + x.getName() + ": " + e.getMessage());
                return null;
            }
        }
        codecs.problems.add(where + ": the function returns " + result + "; declare the Java method to return "
                + Result.class.getName() + "<...>, or to throw " + WitErrorException.class.getName()
                + " (or a checked exception with a public constructor taking the error value)");
        return null;
    }

    /** Builds the methods of one interface and of the resource interfaces it uses. */
    static final class Binder extends Codec.Factory {
        private final Instance instance;
        private final String interfaceName;
        private final Map<String, FuncType> funcs;
        private final Map<Class<?>, ResourceBinding> resources = new HashMap<>();

        Binder(Instance instance, String interfaceName) {
            this.instance = instance;
            this.interfaceName = interfaceName;
            this.funcs = functions(interfaceName == null ? instance.exports() : instance.exports(interfaceName));
        }

        String where() {
            return interfaceName == null ? "the root exports" : "export " + interfaceName;
        }

        private static Map<String, FuncType> functions(List<NamedItem> items) {
            Map<String, FuncType> out = new LinkedHashMap<>();
            for (NamedItem item : items) {
                if (item.type() instanceof ItemType.Func f) {
                    out.put(item.name(), f.type());
                }
            }
            return out;
        }

        /**
         * The bound methods of {@code api}: the interface's functions, or, with {@code resource}
         * set, the {@code [method]}s of that resource (found in the bound interface first, then in
         * any exported interface).
         */
        Map<Method, BoundMethod> methods(Class<?> api, String resource) {
            Map<Method, BoundMethod> out = new HashMap<>();
            for (Method m : abstractMethods(api)) {
                String base = Codec.witName(m, Names.fromJavaMember(m.getName()));
                String name = resource == null || m.isAnnotationPresent(WitName.class) && base.startsWith("[")
                        ? base : "[method]" + resource + "." + base;
                String where = api.getSimpleName() + "." + m.getName();
                Found found = find(name);
                if (found == null && resource == null && name.startsWith("new-")) {
                    // newCounter binds the constructor of counter when there is no function new-counter.
                    found = find("[constructor]" + name.substring("new-".length()));
                }
                if (found == null) {
                    problems.add(where + ": " + where() + " has no function `" + name + "`"
                            + (resource == null ? "; it has " + String.join(", ", funcs.keySet()) : ""));
                    continue;
                }
                BoundMethod b = method(m, found, resource != null && name.startsWith("[method]"), where);
                if (b != null) {
                    out.put(m, b);
                }
            }
            return out;
        }

        private record Found(String interfaceName, String name, FuncType type) {}

        private Found find(String name) {
            FuncType t = funcs.get(name);
            if (t != null) {
                return new Found(interfaceName, name, t);
            }
            if (!name.startsWith("[")) {
                return null;
            }
            // A resource's functions live in the interface that defines it, which may be another one.
            for (NamedItem item : instance.exports()) {
                if (item.type() instanceof ItemType.Func f && interfaceName != null && item.name().equals(name)) {
                    return new Found(null, name, f.type());
                }
                if (item.type() instanceof ItemType.Instance i && !item.name().equals(interfaceName)) {
                    for (NamedItem e : i.exports()) {
                        if (e.name().equals(name) && e.type() instanceof ItemType.Func f) {
                            return new Found(item.name(), name, f.type());
                        }
                    }
                }
            }
            return null;
        }

        private BoundMethod method(Method m, Found found, boolean hasSelf, String where) {
            FuncType type = found.type();
            int offset = hasSelf ? 1 : 0;
            int problemsBefore = problems.size();
            List<FuncType.Param> params = type.params();
            if (params.size() - offset != m.getParameterCount()) {
                problems.add(where + ": `" + found.name() + "` takes " + (params.size() - offset) + " parameter"
                        + (params.size() - offset == 1 ? "" : "s") + " (" + type + "), the Java method "
                        + m.getParameterCount());
                return null;
            }
            Codec[] codecs = new Codec[params.size()];
            if (hasSelf) {
                codecs[0] = new Codec.Plain(params.get(0).type());
            }
            Type[] javaParams = m.getGenericParameterTypes();
            for (int i = offset; i < params.size(); i++) {
                codecs[i] = of(params.get(i).type(), javaParams[i - offset],
                        where + " parameter `" + params.get(i).name() + "`");
            }
            Codec result = null;
            ErrorMode error = null;
            Type ret = m.getGenericReturnType();
            if (type.results().isEmpty()) {
                if (ret != void.class && ret != Void.class) {
                    problems.add(where + ": `" + found.name() + "` returns nothing, so the Java method must return void, not "
                            + ret.getTypeName());
                }
            } else if (type.results().size() > 1) {
                problems.add(where + ": `" + found.name() + "` has " + type.results().size()
                        + " results, which a typed binding does not map; call it through Func");
            } else {
                WitType r = type.results().get(0);
                Class<?> raw = Codec.raw(Codec.upper(ret));
                if (r instanceof WitType.ResultType rt && raw != Result.class && raw != Object.class
                        && (raw == null || !Val.class.isAssignableFrom(raw))) {
                    Codec ok = rt.ok() == null ? null : of(rt.ok(), ret, where + " result (ok)");
                    if (rt.ok() == null && ret != void.class && ret != Void.class) {
                        problems.add(where + ": the ok case of " + rt + " has no value, so the Java method must return void");
                    }
                    error = errorMode(m, rt, this, where);
                    if (error != null) {
                        result = new Codec.ResultCodec(rt, ok, error.error());
                    }
                } else if (ret == void.class) {
                    problems.add(where + ": `" + found.name() + "` returns " + r + ", but the Java method returns void");
                } else {
                    result = of(r, ret, where + " result");
                }
            }
            if (problems.size() > problemsBefore) {
                return null;
            }
            Func func = found.interfaceName() == null ? instance.func(found.name())
                    : instance.func(found.interfaceName(), found.name());
            return BoundMethod.of(func, codecs, result, error, hasSelf);
        }

        @Override
        Codec resource(WitType type, String resource, int hostType, Class<?> raw, Type java, String where) {
            if (hostType >= 0) {
                // A resource the host implements (imported by the component): values are the host's objects.
                Class<?> objects = HostResourceType.byId(hostType).javaType();
                return raw.isAssignableFrom(objects) || objects.isAssignableFrom(raw) ? new Codec.Plain(type)
                        : fail(where, type, java, "the host implements `" + resource + "` with " + objects.getName());
            }
            if (!raw.isInterface() || raw.isSealed() || raw.isAnnotation()) {
                return fail(where, type, java, "expected " + Resource.class.getName()
                        + " or a Java interface standing for the resource (extending AutoCloseable)");
            }
            ResourceBinding rb = resources.get(raw);
            if (rb == null) {
                rb = new ResourceBinding(raw);
                resources.put(raw, rb); // before its methods, which may use the resource themselves
                rb.methods.putAll(methods(raw, resource));
            }
            return new ResourceCodec(type, rb, type instanceof WitType.OwnType);
        }
    }

    /**
     * A bound exported function: its codecs, and how it is called. Two kinds, each small enough
     * for the JIT to inline into the proxy's call: all-scalar functions through {@link
     * ScalarFunc}'s slots, the rest through the call buffer.
     */
    abstract static class BoundMethod {
        final Func func;

        BoundMethod(Func func) {
            this.func = func;
        }

        static BoundMethod of(Func func, Codec[] params, Codec result, ErrorMode error, boolean hasSelf) {
            boolean allScalar = !hasSelf && error == null && params.length <= 4 && func.type().isScalar()
                    && (result == null || result.isScalar());
            for (Codec c : params) {
                allScalar &= c.isScalar();
            }
            return allScalar ? new Scalar(func, params, result) : new General(func, params, result, error, hasSelf);
        }

        abstract Object invoke(Resource self, Object[] args) throws Throwable;
    }

    /** An all-scalar function of up to four parameters: slots in, a slot out, no buffer. */
    static final class Scalar extends BoundMethod {
        private final ScalarFunc scalar;
        private final Codec[] params;
        private final Codec result;

        Scalar(Func func, Codec[] params, Codec result) {
            super(func);
            this.scalar = func.scalar();
            this.params = params;
            this.result = result;
        }

        @Override
        Object invoke(Resource self, Object[] args) {
            long r = switch (params.length) {
                case 0 -> scalar.call();
                case 1 -> scalar.call(slot(0, args[0]));
                case 2 -> scalar.call(slot(0, args[0]), slot(1, args[1]));
                case 3 -> scalar.call(slot(0, args[0]), slot(1, args[1]), slot(2, args[2]));
                default -> scalar.call(slot(0, args[0]), slot(1, args[1]), slot(2, args[2]), slot(3, args[3]));
            };
            return result == null ? null : result.fromSlot(r);
        }

        private long slot(int i, Object v) {
            try {
                return params[i].toSlot(v);
            } catch (PlainJava.Mismatch m) {
                throw new IllegalArgumentException("argument `" + func.type().params().get(i).name() + "` of `"
                        + func.name() + "`: " + m.getMessage());
            }
        }
    }

    /** Any other function: the codecs write and read the call buffer. */
    static final class General extends BoundMethod {
        private final Codec[] params;
        private final Codec result;
        private final ErrorMode error;
        private final boolean hasSelf;

        General(Func func, Codec[] params, Codec result, ErrorMode error, boolean hasSelf) {
            super(func);
            this.params = params;
            this.result = result;
            this.error = error;
            this.hasSelf = hasSelf;
        }

        @Override
        Object invoke(Resource self, Object[] args) throws Throwable {
            Object[] all = args == null ? NO_ARGS : args;
            if (hasSelf) {
                self.id(); // a method called on a dropped or given-away resource: IllegalStateException
                all = new Object[all.length + 1];
                all[0] = self;
                if (args != null) {
                    System.arraycopy(args, 0, all, 1, args.length);
                }
            }
            Object r = func.callBound(all, params, result);
            return error == null ? r : unwrap((Result<?, ?>) r);
        }

        private Object unwrap(Result<?, ?> r) throws Throwable {
            if (!r.isOk()) {
                throw (Throwable) error.factory().invokeExact(r.value());
            }
            return r.value();
        }
    }

    /** A Java interface standing for a guest resource: its bound methods and its proxy class. */
    static final class ResourceBinding {
        final Class<?> api;
        final Map<Method, BoundMethod> methods = new HashMap<>();
        private volatile MethodHandle constructor;

        ResourceBinding(Class<?> api) {
            this.api = api;
        }

        Object wrap(Resource r) {
            MethodHandle c = constructor;
            BoundHandler handler = new BoundHandler(methods, r, api.getSimpleName() + "[" + r + "]");
            if (c == null) {
                Object first = Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, handler);
                try {
                    c = MethodHandles.publicLookup().findConstructor(first.getClass(),
                            MethodType.methodType(void.class, InvocationHandler.class))
                            .asType(MethodType.methodType(Object.class, InvocationHandler.class));
                } catch (ReflectiveOperationException e) {
                    return first; // each later handle gets its proxy from Proxy itself
                }
                constructor = c;
                return first;
            }
            try {
                return (Object) c.invokeExact((InvocationHandler) handler);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    /** A guest resource handle as a bound Java interface (or a {@link Resource}). */
    static final class ResourceCodec extends Codec {
        private final ResourceBinding binding;
        private final boolean own;
        private final String resource;

        ResourceCodec(WitType wit, ResourceBinding binding, boolean own) {
            super(wit);
            this.binding = binding;
            this.own = own;
            this.resource = wit instanceof WitType.OwnType o ? o.resource() : ((WitType.BorrowType) wit).resource();
        }

        @Override
        void write(ValueEncoder out, Object v) {
            Resource r = v instanceof Resource res ? res : BoundHandler.resourceOf(v);
            if (r == null) {
                throw v == null ? nullValue(wit) : new PlainJava.Mismatch("expected " + wit + " (a " + binding.api.getName()
                        + " bound to a resource), found " + PlainJava.describe(v));
            }
            out.writeResource(r, resource, -1, own);
        }

        @Override
        Object read(ValueDecoder in) {
            return binding.wrap((Resource) in.readPlain(wit, null));
        }
    }

    /** The invocation handler of bindings and bound resources. */
    static final class BoundHandler implements InvocationHandler {
        private final Map<Method, BoundMethod> methods;
        private final Resource self;
        private final String description;
        /** The methods called so far, by the identity of the Method objects the proxy passes. */
        private volatile IdentityHashMap<Method, BoundMethod> seen = new IdentityHashMap<>();

        BoundHandler(Map<Method, BoundMethod> methods, Resource self, String description) {
            this.methods = methods;
            this.self = self;
            this.description = description;
        }

        static Resource resourceOf(Object proxy) {
            if (proxy != null && Proxy.isProxyClass(proxy.getClass())
                    && Proxy.getInvocationHandler(proxy) instanceof BoundHandler h) {
                return h.self;
            }
            return null;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            // A proxy passes the same Method objects on every call: after the first, an identity hit.
            BoundMethod b = seen.get(method);
            if (b == null) {
                b = methods.get(method);
                if (b != null) {
                    IdentityHashMap<Method, BoundMethod> more = new IdentityHashMap<>(seen);
                    more.put(method, b);
                    seen = more;
                }
            }
            if (b != null) {
                return b.invoke(self, args);
            }
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> description;
                };
            }
            if (isCloseOfAutoCloseable(method)) {
                if (self != null) {
                    self.close();
                }
                return null;
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new IllegalStateException(method + " is not bound");
        }
    }
}
