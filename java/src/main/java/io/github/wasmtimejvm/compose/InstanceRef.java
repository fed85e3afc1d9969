package io.github.wasmtimejvm.compose;

import java.util.Optional;

/**
 * One instantiation of a package inside a {@link Composition}, made by {@link
 * Composition#instantiate}: the source or target of {@link Composition#connect} and the source
 * of {@link Composition#export}. It belongs to the composition that made it and is refused by
 * any other.
 */
public final class InstanceRef {
    final Composition owner;
    final int index;
    private final PackageRef pkg;
    private final String name;

    InstanceRef(Composition owner, int index, PackageRef pkg, String name) {
        this.owner = owner;
        this.index = index;
        this.pkg = pkg;
        this.name = name;
    }

    /**
     * The package this instance was made from.
     *
     * @return the package this is an instance of
     */
    public PackageRef packageRef() {
        return pkg;
    }

    /**
     * The instance's name in the composition.
     *
     * @return the name given to {@link Composition#instantiate(PackageRef, String)}, if any (it
     *     is recorded in the composed component's name section)
     */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * How errors name this instance.
     *
     * @return how errors name this instance: {@code instance `calc` (of `docs:calc`)}, or
     *     {@code instance #2 (of `docs:calc`)} (counting from 1 in instantiation order) when it
     *     has no name
     */
    @Override
    public String toString() {
        return (name != null ? "instance `" + name + "`" : "instance #" + (index + 1))
                + " (of `" + pkg.name() + "`)";
    }
}
