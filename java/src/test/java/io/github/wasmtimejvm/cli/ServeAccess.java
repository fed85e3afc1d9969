package io.github.wasmtimejvm.cli;

import java.io.PrintStream;
import java.util.List;

/** Starts {@code wasmtime-jvm serve} without blocking, for tests of other packages. */
public final class ServeAccess {
    private ServeAccess() {}

    /**
     * Starts serving as {@code wasmtime-jvm serve ARGS} would.
     *
     * @param args the options and component
     * @param out where the address is printed
     * @return the server, to close
     */
    public static AutoCloseable start(List<String> args, PrintStream out) {
        return ServeCommand.start(args, out);
    }
}
