package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.ItemType;
import io.github.wasmtimejvm.wit.NamedItem;
import io.github.wasmtimejvm.wit.WitType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Java object implementing a component import ({@link Linker#implement(Class, Object)}). The
 * functions are defined when a component importing the interface is first instantiated (or
 * pre-instantiated) with the linker, with the types that component imports them with, each
 * checked against its Java method; the interface's resources become {@link HostResourceType}s
 * whose Java class is the one the methods use for them, and whose {@code [method]}s run on the
 * host objects themselves.
 */
final class ImportBinding {

    private final String interfaceName;
    private final Class<?> api;
    private final Object impl;
    /** The functions and resources defined so far, by name. */
    private final Set<String> defined = new HashSet<>();
    private final Map<String, HostResourceType<?>> resourceTypes = new HashMap<>();

    ImportBinding(String interfaceName, Class<?> api, Object impl) {
        ExportBinding.checkInterface(api);
        if (!api.isInstance(impl)) {
            throw new IllegalArgumentException("the implementation, a " + impl.getClass().getName() + ", is not a " + api.getName());
        }
        this.interfaceName = interfaceName;
        this.api = api;
        this.impl = impl;
    }

    String where() {
        return interfaceName == null ? "the root imports" : "import " + interfaceName;
    }

    /**
     * Defines in {@code linker} what {@code component} imports of this interface and is not
     * defined yet.
     *
     * @throws BindException if a Java method does not fit its import, or an import has no method
     */
    synchronized void resolve(Linker linker, Component component) {
        List<NamedItem> items = imported(component);
        if (items == null) {
            return;
        }
        Map<String, FuncType> funcs = new LinkedHashMap<>();
        List<String> resources = new ArrayList<>();
        for (NamedItem item : items) {
            if (item.type() instanceof ItemType.Func f && !defined.contains(item.name())) {
                funcs.put(item.name(), f.type());
            } else if (item.type() instanceof ItemType.Resource && interfaceName != null) {
                resources.add(item.name());
            }
        }
        if (funcs.isEmpty() && defined.containsAll(resources)) {
            return;
        }
        Host host = new Host(resources);
        Map<String, Method> byName = new HashMap<>();
        for (Method m : ExportBinding.abstractMethods(api)) {
            byName.put(Codec.witName(m, Names.fromJavaMember(m.getName())), m);
        }
        Map<String, HostFunctions.Entry> entries = new LinkedHashMap<>();
        List<String> methods = new ArrayList<>();
        for (Map.Entry<String, FuncType> f : funcs.entrySet()) {
            if (f.getKey().startsWith("[method]")) {
                methods.add(f.getKey()); // after the rest, which say what Java class each resource is
                continue;
            }
            Method m = byName.get(f.getKey());
            if (m == null && f.getKey().startsWith("[constructor]")) {
                m = byName.get("new-" + f.getKey().substring("[constructor]".length()));
            }
            if (m == null) {
                String key = f.getKey();
                String expected = key.startsWith("[constructor]") ? "new" + Names.toJavaType(key.substring("[constructor]".length()))
                        : key.startsWith("[") ? null : Names.toJavaMember(key);
                host.problems.add(where() + " has function `" + key + "` (" + f.getValue() + "), which " + api.getName()
                        + " has no method for (expected " + (expected == null ? "" : "`" + expected + "` or ")
                        + "@WitName(\"" + key + "\"))");
                continue;
            }
            HostFunctions.Entry e = host.entry(m, f.getKey(), f.getValue(), false);
            if (e != null) {
                entries.put(f.getKey(), e);
            }
        }
        for (String name : methods) {
            String resource = name.substring("[method]".length(), name.lastIndexOf('.'));
            String method = name.substring(name.lastIndexOf('.') + 1);
            Class<?> cls = host.classes.get(resource);
            if (cls == null) {
                host.problems.add(where() + " has `" + name + "`, but no method of " + api.getName()
                        + " takes or returns resource `" + resource + "`, so its Java class is not known");
                continue;
            }
            Method m = null;
            for (Method candidate : ExportBinding.publicMethods(cls)) {
                String n = Codec.witName(candidate, Names.fromJavaMember(candidate.getName()));
                if (n.equals(method) || n.equals(name)) {
                    m = candidate;
                }
            }
            if (m == null) {
                host.problems.add(where() + " has `" + name + "` (" + funcs.get(name) + "), which " + cls.getName()
                        + " has no method for (expected `" + Names.toJavaMember(method) + "`)");
                continue;
            }
            HostFunctions.Entry e = host.entry(m, name, funcs.get(name), true);
            if (e != null) {
                entries.put(name, e);
            }
        }
        if (!host.problems.isEmpty()) {
            throw new BindException(api.getName() + " does not implement " + where() + " of the component", host.problems);
        }
        String[] path = interfaceName == null ? new String[0] : new String[] {interfaceName};
        for (String r : resources) {
            if (!defined.contains(r)) {
                linker.defineResource(path, r, host.type(r));
                defined.add(r);
            }
        }
        for (Map.Entry<String, HostFunctions.Entry> e : entries.entrySet()) {
            linker.defineFunc(path, e.getKey(), e.getValue().type, e.getValue());
            defined.add(e.getKey());
        }
    }

    private List<NamedItem> imported(Component component) {
        List<NamedItem> imports = component.type().imports();
        if (interfaceName == null) {
            return imports;
        }
        for (NamedItem item : imports) {
            if (item.name().equals(interfaceName) && item.type() instanceof ItemType.Instance i) {
                return i.exports();
            }
        }
        return null;
    }

    /** The codecs of one resolution: imported resources become host resources. */
    private final class Host extends Codec.Factory {
        private final List<String> resources;
        final Map<String, Class<?>> classes = new HashMap<>();

        Host(List<String> resources) {
            this.resources = resources;
        }

        HostResourceType<?> type(String resource) {
            HostResourceType<?> t = resourceTypes.get(resource);
            if (t == null) {
                Class<?> cls = classes.getOrDefault(resource, Object.class);
                t = HostResourceType.create(resource, cls,
                        AutoCloseable.class.isAssignableFrom(cls) ? ImportBinding::close : null);
                resourceTypes.put(resource, t);
            }
            return t;
        }

        @Override
        Codec resource(WitType type, String resource, int hostType, Class<?> raw, Type java, String where) {
            if (!resources.contains(resource)) {
                return raw == Resource.class ? new Codec.Plain(type)
                        : fail(where, type, java, "resource `" + resource + "` is not one of " + where()
                                + ", so the host gets it as a " + Resource.class.getName());
            }
            HostResourceType<?> known = resourceTypes.get(resource);
            Class<?> cls = known != null ? known.javaType() : classes.get(resource);
            if (cls == null) {
                classes.put(resource, raw);
                cls = raw;
            }
            if (cls != raw) {
                return fail(where, type, java, "resource `" + resource + "` is " + cls.getName() + " elsewhere in the binding");
            }
            HostResourceType<?> t = type(resource);
            WitType hostType2 = type instanceof WitType.OwnType ? t.own() : t.borrow();
            return new Codec.Plain(hostType2);
        }

        /** The host function for {@code m}, or null after adding problems. */
        HostFunctions.Entry entry(Method m, String name, FuncType type, boolean self) {
            String where = m.getDeclaringClass().getSimpleName() + "." + m.getName() + " (for `" + name + "`)";
            int before = problems.size();
            List<FuncType.Param> params = type.params();
            int offset = self ? 1 : 0;
            if (params.size() - offset != m.getParameterCount()) {
                problems.add(where + ": the import takes " + (params.size() - offset) + " parameter"
                        + (params.size() - offset == 1 ? "" : "s") + " (" + type + "), the Java method " + m.getParameterCount());
                return null;
            }
            Codec[] codecs = new Codec[params.size()];
            Type[] javaParams = m.getGenericParameterTypes();
            if (self) {
                codecs[0] = of(params.get(0).type(), m.getDeclaringClass(), where + " self");
            }
            for (int i = offset; i < params.size(); i++) {
                codecs[i] = of(params.get(i).type(), javaParams[i - offset], where + " parameter `" + params.get(i).name() + "`");
            }
            Codec result = null;
            ExportBinding.ErrorMode error = null;
            MethodHandle errorValue = null;
            Class<?> errorClass = null;
            Type ret = m.getGenericReturnType();
            if (type.results().size() > 1) {
                problems.add(where + ": the import has " + type.results().size() + " results, which a typed binding does not map");
            } else if (type.results().isEmpty()) {
                if (ret != void.class && ret != Void.class) {
                    problems.add(where + ": the import returns nothing, so the Java method must return void, not " + ret.getTypeName());
                }
            } else {
                WitType r = type.results().get(0);
                Class<?> raw = Codec.raw(Codec.upper(ret));
                if (r instanceof WitType.ResultType rt && raw != Result.class && raw != Object.class
                        && (raw == null || !Val.class.isAssignableFrom(raw))) {
                    Codec ok = rt.ok() == null ? null : of(rt.ok(), ret, where + " result (ok)");
                    if (rt.ok() == null && ret != void.class && ret != Void.class) {
                        problems.add(where + ": the ok case of " + rt + " has no value, so the Java method must return void");
                    }
                    error = ExportBinding.errorMode(m, rt, this, where);
                    if (error != null) {
                        errorClass = error.type();
                        errorValue = errorValue(errorClass, where);
                        result = new Codec.ResultCodec(rt, ok, error.error());
                    }
                } else if (ret == void.class) {
                    problems.add(where + ": the import returns " + r + ", but the Java method returns void");
                } else {
                    result = of(r, ret, where + " result");
                }
            }
            if (problems.size() > before) {
                return null;
            }
            FuncType hostType = withHostResources(type, codecs, result);
            MethodHandle target = Codec.unreflect(m);
            target = target.asSpreader(Object[].class, m.getParameterCount())
                    .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
            HostMethod method = new HostMethod(target, self ? null : impl, codecs, result, errorClass, errorValue);
            return new HostFunctions.Entry(hostType, method);
        }

        private MethodHandle errorValue(Class<?> errorClass, String where) {
            try {
                Method m = errorClass.getMethod("error");
                return MethodHandles.publicLookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException e) {
                problems.add(where + ": " + errorClass.getName() + " has no public error() method giving the error value to"
                        + " return to the guest");
                return null;
            }
        }
    }

    private static void close(Object o) {
        try {
            ((AutoCloseable) o).close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing a host resource failed: " + e, e);
        }
    }

    /** The import's type with its resources as the host types the codecs chose. */
    private static FuncType withHostResources(FuncType type, Codec[] params, Codec result) {
        FuncType.Builder b = FuncType.builder();
        for (int i = 0; i < params.length; i++) {
            b.param(type.params().get(i).name(), params[i].wit);
        }
        if (result != null) {
            b.result(result.wit);
        }
        return b.build();
    }

    /** A Java method serving an import: decoded arguments in, a value to encode out. */
    static final class HostMethod {
        private final MethodHandle target;
        private final Object receiver;
        final Codec[] params;
        final Codec result;
        private final Class<?> errorClass;
        private final MethodHandle errorValue;

        HostMethod(MethodHandle target, Object receiver, Codec[] params, Codec result, Class<?> errorClass,
                MethodHandle errorValue) {
            this.target = target;
            this.receiver = receiver;
            this.params = params;
            this.result = result;
            this.errorClass = errorClass;
            this.errorValue = errorValue;
        }

        /** Runs the method; for a result mapped to an exception, returns the {@link Result} to encode. */
        Object call(Object[] args) throws Throwable {
            Object self = receiver;
            Object[] rest = args;
            if (self == null) {
                self = args[0];
                rest = new Object[args.length - 1];
                System.arraycopy(args, 1, rest, 0, rest.length);
            }
            if (errorClass == null) {
                return (Object) target.invokeExact(self, rest);
            }
            try {
                return Result.ok((Object) target.invokeExact(self, rest));
            } catch (Throwable t) {
                if (errorClass.isInstance(t)) {
                    return Result.err((Object) errorValue.invokeExact((Object) t));
                }
                throw t;
            }
        }
    }
}
