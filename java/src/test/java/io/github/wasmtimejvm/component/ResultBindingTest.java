package io.github.wasmtimejvm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Fixtures;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.TrapException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: WIT results as checked exceptions on both sides of a binding, and a root import
 * implemented by a Java object (corpus/components/result-host.wat passes the host's answers
 * through).
 */
class ResultBindingTest {

    /** A checked exception of the binding's own, carrying a u32 error code. */
    public static final class DivideError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        public DivideError(int code) {
            super("divide failed with code " + code);
            this.code = code;
        }

        public int error() {
            return code;
        }
    }

    @WitInterface("docs:results/host@1.0.0")
    public interface Host {
        int divide(int a, int b) throws DivideError;

        void check(int v) throws WitErrorException;
    }

    /** The root import. */
    public interface Notes {
        void note(int v);
    }

    /** The root exports, with the results as exceptions. */
    public interface Root {
        int divide(int a, int b) throws DivideError;

        void check(int v) throws WitErrorException;
    }

    /** The same exports with the results as values. */
    public interface RootValues {
        Result<Integer, Integer> divide(int a, int b);

        Result<Void, Void> check(int v);
    }

    private final List<Integer> notes = new ArrayList<>();
    private Engine engine;
    private Component component;
    private Linker linker;
    private Store store;

    @BeforeEach
    void setUp() {
        engine = new Engine();
        component = Component.fromFile(engine, Fixtures.component("result-host"));
        linker = new Linker(engine);
        store = new Store(engine);
        linker.implement(Notes.class, notes::add);
        linker.implement(Host.class, new Host() {
            @Override
            public int divide(int a, int b) throws DivideError {
                if (b == 0) {
                    throw new DivideError(7);
                }
                if (a < 0) {
                    throw new IllegalStateException("the host refuses " + Integer.toUnsignedString(a));
                }
                return a / b;
            }

            @Override
            public void check(int v) throws WitErrorException {
                if (v != 0) {
                    throw new WitErrorException(null);
                }
            }
        });
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }

    @Test
    void errorsCrossBothWaysAsCheckedExceptions() throws Exception {
        Root root = linker.instantiate(store, component).bind(Root.class);
        assertEquals(3, root.divide(7, 2));
        DivideError e = assertThrows(DivideError.class, () -> root.divide(1, 0));
        assertEquals(7, e.error(), "the host's code reached the guest as err(7) and came back");
        root.check(0);
        WitErrorException c = assertThrows(WitErrorException.class, () -> root.check(1));
        assertNull(c.error(), "a result without an error type carries no value");
        assertEquals(List.of(7, 1), notes, "the root import ran before each divide");
    }

    @Test
    void theSameErrorsAsResultValues() {
        RootValues root = linker.instantiate(store, component).bind(RootValues.class);
        assertEquals(Result.ok(3), root.divide(7, 2));
        assertEquals(Result.err(7), root.divide(1, 0));
        assertEquals(Result.ok(null), root.check(0));
        assertEquals(Result.err(null), root.check(5));
    }

    @Test
    void anExceptionTheMethodDoesNotMapTrapsTheGuest() {
        Root root = linker.instantiate(store, component).bind(Root.class);
        TrapException t = assertThrows(TrapException.class, () -> root.divide(-1, 1));
        assertTrue(t.getCause() instanceof IllegalStateException, String.valueOf(t.getCause()));
        assertEquals("the host refuses 4294967295", t.getCause().getMessage());
    }

    @Test
    void aResultWithoutAnExceptionOrResultTypeIsABindProblem() {
        interface Unmapped {
            int divide(int a, int b);

            void check(int v);
        }
        BindException x = assertThrows(BindException.class, () -> linker.instantiate(store, component).bind(Unmapped.class));
        assertEquals(2, x.problems().size(), x.getMessage());
        assertTrue(x.getMessage().contains("Unmapped.divide: the function returns result<u32, u32>; declare the Java method"
                + " to return " + Result.class.getName()), x.getMessage());
    }
}
