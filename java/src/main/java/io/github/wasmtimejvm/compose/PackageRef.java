package io.github.wasmtimejvm.compose;

/**
 * A component added to a {@link Composition} with {@link Composition#addPackage}, to be
 * instantiated with {@link Composition#instantiate}. It belongs to the composition that made it
 * and is refused by any other.
 */
public final class PackageRef {
    final Composition owner;
    final int index;
    private final String name;

    PackageRef(Composition owner, int index, String name) {
        this.owner = owner;
        this.index = index;
        this.name = name;
    }

    /**
     * The package's name.
     *
     * @return the name the package was added under, such as {@code docs:adder}
     */
    public String name() {
        return name;
    }

    /**
     * How errors name this package.
     *
     * @return {@code package `name`}, as errors name it
     */
    @Override
    public String toString() {
        return "package `" + name + "`";
    }
}
