package io.github.wasmtimejvm.flink;

import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.component.ShippedFunction;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * A component's exported function called once per record of a Flink stream.
 *
 * <pre>{@code
 * ShippedFunction score = ShippedFunction.of(Path.of("scoring.wasm"), "docs:scoring/scorer@0.1.0#score");
 * DataStream<Double> scores = readings
 *         .map(ComponentMapFunction.of(score, r -> new Object[] {r.id, r.value, r.label}, (r, s) -> (Double) s))
 *         .returns(Types.DOUBLE);
 * }</pre>
 *
 * <p>The component is compiled once where the job is built and travels inside the function
 * ({@link ShippedFunction}: a checked precompiled image); each parallel task instance loads it (once
 * per task manager JVM) and opens its own store and instance in {@link #open}, used for all its
 * records and closed in {@link #close}. A trap fails the task with a {@link
 * ComponentFunctionException} naming the component and the function; the task's next attempt
 * gets a fresh instance.
 *
 * @param <IN> the records
 * @param <OUT> the results
 */
public final class ComponentMapFunction<IN, OUT> extends RichMapFunction<IN, OUT> {
    private static final long serialVersionUID = 1L;

    /**
     * A record's arguments to the function.
     *
     * @param <IN> the records
     */
    @FunctionalInterface
    public interface Arguments<IN> extends Serializable {
        /**
         * The arguments.
         *
         * @param record the record
         * @return one plain Java value per parameter (see {@link io.github.wasmtimejvm.component.Func})
         */
        Object[] of(IN record);
    }

    /**
     * What a record and the function's result become.
     *
     * @param <IN> the records
     * @param <OUT> the results
     */
    @FunctionalInterface
    public interface Result<IN, OUT> extends Serializable {
        /**
         * The output for a record.
         *
         * @param record the record
         * @param result the function's result as {@link io.github.wasmtimejvm.component.Func#call} gives it
         * @return the output record
         */
        OUT of(IN record, Object result);
    }

    private final ShippedFunction function;
    private final Arguments<IN> arguments;
    private final Result<IN, OUT> result;
    private transient ShippedFunction.Caller caller;

    private ComponentMapFunction(ShippedFunction function, Arguments<IN> arguments, Result<IN, OUT> result) {
        this.function = Objects.requireNonNull(function, "function");
        this.arguments = Objects.requireNonNull(arguments, "arguments");
        this.result = Objects.requireNonNull(result, "result");
    }

    /**
     * A map function calling {@code function} with each record's arguments.
     *
     * @param <IN> the records
     * @param <OUT> the results
     * @param function the component function
     * @param arguments a record's arguments
     * @param result a record and its result as the output record
     * @return the function (give the stream its result type with {@code returns(...)})
     */
    public static <IN, OUT> ComponentMapFunction<IN, OUT> of(ShippedFunction function, Arguments<IN> arguments,
            Result<IN, OUT> result) {
        return new ComponentMapFunction<>(function, arguments, result);
    }

    @Override
    public void open(OpenContext context) {
        caller = function.open();
    }

    @Override
    public OUT map(IN record) {
        Object r;
        try {
            r = caller.call(arguments.of(record));
        } catch (TrapException e) {
            caller.close();
            caller = function.open();
            throw new ComponentFunctionException("component " + function.componentName() + ", function "
                    + function.function() + " trapped: " + e.getMessage(), e);
        }
        return result.of(record, r);
    }

    @Override
    public void close() {
        if (caller != null) {
            caller.close();
            caller = null;
        }
    }
}
