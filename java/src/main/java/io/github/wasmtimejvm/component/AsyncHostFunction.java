package io.github.wasmtimejvm.component;

import java.util.concurrent.CompletionStage;

/**
 * A host function whose result comes later: the implementation of a component import that
 * waits on I/O, another service or another thread without holding one.
 *
 * <p>Defined with {@link LinkerInstance#funcAsync}. Arguments arrive as for {@link
 * HostFunction} (converted by the function's declared WIT types). The function returns a {@link
 * CompletionStage} at once; while it is pending, the guest is suspended and neither a Java nor a
 * native thread waits for it. The stage's value is the result, as a {@link HostFunction} would
 * return it (null for a function without result, a {@link java.util.List} for several). A stage
 * that completes exceptionally, or an exception thrown by {@code call} itself, traps the guest:
 * the caller's future fails with a {@link io.github.wasmtimejvm.TrapException} whose cause is
 * that exception (unwrapped from a {@link java.util.concurrent.CompletionException}).
 *
 * <p>{@code call} runs on one of the engine's asynchronous workers ({@code wasmtime-jvm-async-N}),
 * so it must not block: start the work and return its stage. The stage may complete on any
 * thread. A component importing an asynchronous host function can only be called with {@link
 * Func#callAsync}, in every store that instantiates it (wasmtime's rule): a synchronous call
 * there throws {@link IllegalStateException}. When the call is cancelled while the stage is
 * pending, the guest is stopped at once and the stage's eventual result is dropped (the stage
 * itself is not cancelled).
 *
 * <p>Defined with a component-model {@code async} type ({@link
 * io.github.wasmtimejvm.wit.FuncType#asAsync()}, for an {@code async func} import), it is a
 * concurrent function: the guest is not suspended while the stage is pending, its other tasks go
 * on (it may have several calls of the function pending at once), and it may cancel a pending
 * call ({@code subtask.cancel}), which drops the call as a cancelled call does.
 */
@FunctionalInterface
public interface AsyncHostFunction {
    /**
     * Starts the host function for one call from the guest.
     *
     * @param args the arguments, one per parameter
     * @return the stage that completes with the result
     * @throws Exception to trap the guest at once
     */
    CompletionStage<?> call(Object... args) throws Exception;
}
