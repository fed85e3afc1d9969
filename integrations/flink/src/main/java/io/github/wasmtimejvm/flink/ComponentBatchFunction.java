package io.github.wasmtimejvm.flink;

import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.component.ShippedFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapPartitionFunction;
import org.apache.flink.util.Collector;

/**
 * A component's exported batch function (one {@code list<record>} in, one result per record out)
 * called once per batch of a partition's records, for bounded streams:
 * {@code stream.fullWindowPartition().mapPartition(ComponentBatchFunction.of(...))}.
 *
 * <p>The component travels and opens as for {@link ComponentMapFunction}: one store and instance
 * per task, opened in {@link #open} and closed in {@link #close}.
 *
 * @param <IN> the records
 * @param <OUT> the results
 */
public final class ComponentBatchFunction<IN, OUT> extends RichMapPartitionFunction<IN, OUT> {
    private static final long serialVersionUID = 1L;

    /**
     * A record as the WIT record the function takes.
     *
     * @param <IN> the records
     */
    @FunctionalInterface
    public interface Element<IN> extends Serializable {
        /**
         * The element.
         *
         * @param record the record
         * @return a List of the field values in field order (the cheapest), a Map by field
         *     name, or a Java record with the same components
         */
        Object of(IN record);
    }

    private final ShippedFunction function;
    private final Element<IN> element;
    private final ComponentMapFunction.Result<IN, OUT> result;
    private final int batchSize;
    private transient ShippedFunction.Caller caller;

    private ComponentBatchFunction(ShippedFunction function, Element<IN> element,
            ComponentMapFunction.Result<IN, OUT> result, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("the batch size must be positive");
        }
        this.function = Objects.requireNonNull(function, "function");
        this.element = Objects.requireNonNull(element, "element");
        this.result = Objects.requireNonNull(result, "result");
        this.batchSize = batchSize;
    }

    /**
     * A partition function calling {@code function} once per {@code batchSize} records.
     *
     * @param <IN> the records
     * @param <OUT> the results
     * @param function a component function of one {@code list<record>} returning a list
     * @param element a record as the list's element
     * @param result a record and its element of the returned list as the output record
     * @param batchSize most records per call
     * @return the function (give the stream its result type with {@code returns(...)})
     */
    public static <IN, OUT> ComponentBatchFunction<IN, OUT> of(ShippedFunction function, Element<IN> element,
            ComponentMapFunction.Result<IN, OUT> result, int batchSize) {
        return new ComponentBatchFunction<>(function, element, result, batchSize);
    }

    @Override
    public void open(OpenContext context) {
        caller = function.open();
    }

    @Override
    public void mapPartition(Iterable<IN> records, Collector<OUT> out) {
        List<IN> batch = new ArrayList<>(batchSize);
        for (IN r : records) {
            batch.add(r);
            if (batch.size() == batchSize) {
                flush(batch, out);
            }
        }
        if (!batch.isEmpty()) {
            flush(batch, out);
        }
    }

    private void flush(List<IN> batch, Collector<OUT> out) {
        List<Object> elements = new ArrayList<>(batch.size());
        for (IN r : batch) {
            elements.add(element.of(r));
        }
        List<?> results;
        try {
            results = (List<?>) caller.call(elements);
        } catch (TrapException e) {
            caller.close();
            caller = function.open();
            throw new ComponentFunctionException("component " + function.componentName() + ", function "
                    + function.function() + " trapped on a batch of " + batch.size() + " records: " + e.getMessage(), e);
        }
        if (results.size() != batch.size()) {
            throw new ComponentFunctionException("component " + function.componentName() + ", function "
                    + function.function() + " returned " + results.size() + " results for " + batch.size() + " records",
                    null);
        }
        for (int i = 0; i < batch.size(); i++) {
            out.collect(result.of(batch.get(i), results.get(i)));
        }
        batch.clear();
    }

    @Override
    public void close() {
        if (caller != null) {
            caller.close();
            caller = null;
        }
    }
}
