package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.WasmtimeException;
import java.util.List;

/**
 * A Java interface does not fit the component functions it is bound to ({@link Instance#bind}) or
 * implements ({@link Linker#implement}). The message lists every problem, one per line, each
 * naming the Java method, the WIT type expected and the Java type found; {@link #problems()} gives
 * them as a list.
 */
public final class BindException extends WasmtimeException {
    private static final long serialVersionUID = 1L;

    /** The problems, each a sentence; kept as a plain list of strings, which is serializable. */
    private final List<String> problems;

    BindException(String summary, List<String> problems) {
        super(summary + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found, in the order of the interface's methods.
     *
     * @return an unmodifiable list of messages
     */
    public List<String> problems() {
        return problems;
    }
}
