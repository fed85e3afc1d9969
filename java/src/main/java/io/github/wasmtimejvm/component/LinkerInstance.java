package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.wit.FuncType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where definitions go in a {@link Linker}: the root ({@link Linker#root()}), an imported
 * interface ({@link Linker#instance(String)}, such as {@code docs:log/logger@1.0.0}), or an
 * instance nested in one ({@link #instance(String)}).
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
 *
 * <p>Besides host functions and host resources, a linker instance can hold core modules ({@link
 * #module}) and the exports of another component's instance ({@link #defineInstance(Instance,
 * String)}), so that two components in one store talk through the host without being composed
 * into one binary:
 *
 * <pre>{@code
 * Instance adder = linker.instantiate(store, adderComponent);
 * linker.instance("docs:calc/adder@0.1.0").defineInstance(adder, "docs:calc/adder@0.1.0");
 * Instance calculator = linker.instantiate(store, calculatorComponent);
 * calculator.func("docs:calc/calc@0.1.0", "add-three").call(1, 2, 3); // calls adder's add twice
 * }</pre>
 */
public final class LinkerInstance {

    private final Linker linker;
    private final String[] path;

    LinkerInstance(Linker linker, String[] path) {
        this.linker = linker;
        this.path = path;
    }

    /**
     * The path of this instance from the root: its name, and the names of the instances it is
     * nested in before it, joined with {@code /} (empty for the root).
     *
     * @return the path as one string, such as {@code host/nested}
     */
    public String name() {
        return String.join("/", path);
    }

    /**
     * The names from the root to this instance, outermost first (empty for the root).
     *
     * @return an unmodifiable list of the names
     */
    public List<String> path() {
        return List.of(path);
    }

    /**
     * Definitions inside the instance {@code name} nested in this one: for a component importing
     * {@code (import "host" (instance (export "nested" (instance (export "f" (func))))))}, {@code
     * linker.instance("host").instance("nested").func("f", ...)}. The nested instance comes into
     * being with its first definition.
     *
     * @param name the nested instance's name
     * @return a view of the nested instance in the same linker
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public LinkerInstance instance(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an instance name must not be empty");
        }
        String[] nested = Arrays.copyOf(path, path.length + 1);
        nested[path.length] = name;
        return new LinkerInstance(linker, nested);
    }

    /**
     * Defines a host function over plain Java values.
     *
     * @param name the function's name, as the component imports it (such as {@code log}, or
     *     {@code [method]bucket.get} for a resource method)
     * @param type the function's type as the host expects it; a component-model {@code async}
     *     type ({@link FuncType#asAsync()}) makes it a concurrent function that answers at once,
     *     which needs an engine with concurrency support, and components importing it are called
     *     with {@link Func#callAsync}
     * @param function the Java code that runs when the guest calls it
     * @return this linker instance
     * @throws io.github.wasmtimejvm.LinkException if the name is already defined (and shadowing is
     *     off)
     * @throws IllegalArgumentException if {@code type} is a component-model {@code async} type
     *     and the engine has no concurrency support
     */
    public LinkerInstance func(String name, FuncType type, HostFunction function) {
        Objects.requireNonNull(function, "function");
        linker.defineFunc(path, name, type, new HostFunctions.Entry(type, function, null));
        return this;
    }

    /**
     * Defines an asynchronous host function: it returns a {@link java.util.concurrent.CompletionStage},
     * and while the stage is pending the guest is suspended and holds no thread (see {@link
     * AsyncHostFunction}). Components that import it are called with {@link Func#callAsync}.
     *
     * <pre>{@code
     * linker.root().funcAsync("add2", FuncType.of("a", Primitive.U32, "b", Primitive.U32).returning(Primitive.U32),
     *         args -> CompletableFuture.supplyAsync(() -> (Long) args[0] + (Long) args[1]));
     * }</pre>
     *
     * <p>Of a plain function type, the guest is suspended until the stage completes. Of a
     * component-model {@code async} type ({@link FuncType#asAsync()}, for an {@code async func}
     * import), the function is a concurrent one: while its stage is pending the guest's other
     * tasks go on, and the guest may cancel the call (its stage's eventual result is then
     * dropped). That needs an engine with {@link io.github.wasmtimejvm.Engine.Config#concurrencySupport()
     * concurrency support}.
     *
     * @param name the function's name, as the component imports it
     * @param type the function's type as the host expects it
     * @param function the Java code that starts when the guest calls it
     * @return this linker instance
     * @throws io.github.wasmtimejvm.LinkException if the name is already defined (and shadowing is
     *     off)
     * @throws IllegalArgumentException if {@code type} is a component-model {@code async} type
     *     and the engine has no concurrency support
     */
    public LinkerInstance funcAsync(String name, FuncType type, AsyncHostFunction function) {
        Objects.requireNonNull(function, "function");
        linker.defineFuncAsync(path, name, type, new HostFunctions.Entry(type, function));
        return this;
    }

    /**
     * Defines a host function over {@link Val}s.
     *
     * @param name the function's name, as the component imports it (such as {@code log}, or
     *     {@code [method]bucket.get} for a resource method)
     * @param type the function's type as the host expects it
     * @param function the Java code that runs when the guest calls it
     * @return this linker instance
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
     *
     * @param type the resource type, defined under its own {@link HostResourceType#name()}
     * @return this linker instance
     * @throws io.github.wasmtimejvm.LinkException if the name is already defined (and shadowing is
     *     off)
     */
    public LinkerInstance resource(HostResourceType<?> type) {
        Objects.requireNonNull(type, "type");
        linker.defineResource(path, type.name(), type);
        return this;
    }

    /**
     * Defines the host resource type {@code type} here under {@code name} instead of its own name.
     * One type may be defined under several names (and in several instances): all are the same
     * resource type, so a component importing {@code resource1} and {@code resource1-again} sees
     * one type under both, and a handle made as one is accepted as the other. Host functions
     * still declare it with {@link HostResourceType#own()} and {@link HostResourceType#borrow()}.
     *
     * @param name the name the component imports the resource by
     * @param type the resource type
     * @return this linker instance
     * @throws IllegalArgumentException if {@code name} is empty
     * @throws io.github.wasmtimejvm.LinkException if the name is already defined (and shadowing is
     *     off)
     */
    public LinkerInstance resource(String name, HostResourceType<?> type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a resource name must not be empty");
        }
        linker.defineResource(path, name, type);
        return this;
    }

    /**
     * Defines the core module {@code module} here, for components that import a core module
     * ({@code (import "host" (instance (export "simple-module" (core module ...))))}): the
     * component instantiates it itself.
     *
     * @param name the name the component imports the module by, such as {@code simple-module}
     * @param module the compiled core module
     * @return this linker instance
     * @throws IllegalArgumentException if the module belongs to another engine
     * @throws IllegalStateException if the module is closed
     * @throws io.github.wasmtimejvm.LinkException if the name is already defined (and shadowing is
     *     off)
     */
    public LinkerInstance module(String name, io.github.wasmtimejvm.module.Module module) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a module name must not be empty");
        }
        linker.defineModule(path, name, module);
        return this;
    }

    /**
     * Defines here the items of {@code instance}'s exported instance {@code exportName} (usually
     * an exported interface such as {@code docs:calc/adder@0.1.0}), so that a component importing
     * this linker instance is served by that instance, in the same store:
     *
     * <ul>
     *   <li>each function, as a function that calls the export (arguments and results pass
     *       through the host unchanged, resources included);
     *   <li>each resource type, as that same type: handles the exporter makes are accepted by the
     *       importer's functions of that type and the other way round;
     *   <li>each core module, and each instance nested in the export, as a nested linker
     *       instance with its items.
     * </ul>
     *
     * <p>Instantiating a component whose import has another type than the export is a {@link
     * io.github.wasmtimejvm.LinkException} naming the import and both types (resource handles
     * compare by kind there; which resource type they refer to is checked by the resource
     * definitions). Exported value types need no definition (imports check them by their
     * structure); exported components are not defined. The functions are bound to the instance's store: a
     * component that imports them must be instantiated in that store (otherwise a {@link
     * io.github.wasmtimejvm.LinkException}, or a failing call when it was instantiated through an
     * {@link InstancePre}). The exporter's resource types and modules may be used from any store.
     *
     * @param instance the instance whose export serves the imports
     * @param exportName the name of its exported instance, such as {@code docs:calc/adder@0.1.0}
     * @return this linker instance
     * @throws io.github.wasmtimejvm.UnknownExportException if the instance has no export {@code
     *     exportName} (the message lists those it has)
     * @throws IllegalArgumentException if the export is not an instance (a function, for one), or
     *     the instance's store belongs to another engine
     * @throws IllegalStateException if the instance's store is closed
     * @throws io.github.wasmtimejvm.LinkException if a name is already defined (and shadowing is
     *     off)
     */
    public LinkerInstance defineInstance(Instance instance, String exportName) {
        Objects.requireNonNull(exportName, "exportName");
        linker.defineInstance(path, instance, exportName);
        return this;
    }

    /**
     * Defines here the root exports of {@code instance}, as {@link #defineInstance(Instance,
     * String)} does for an exported instance's items: functions, resource types, core modules and
     * exported instances (as nested linker instances). This is what wasmtime's own test runner
     * does with a named instance {@code (component $x ...)} for later components importing
     * {@code x}.
     *
     * @param instance the instance whose root exports to define
     * @return this linker instance
     * @throws IllegalArgumentException if the instance's store belongs to another engine
     * @throws IllegalStateException if the instance's store is closed
     */
    public LinkerInstance defineInstance(Instance instance) {
        linker.defineInstance(path, instance, null);
        return this;
    }

    @Override
    public String toString() {
        return "LinkerInstance" + Arrays.toString(path);
    }
}
