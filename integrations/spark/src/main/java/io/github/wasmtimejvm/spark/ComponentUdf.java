package io.github.wasmtimejvm.spark;

import io.github.wasmtimejvm.TrapException;
import io.github.wasmtimejvm.component.ShippedFunction;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import io.github.wasmtimejvm.wit.WitType.ListType;
import io.github.wasmtimejvm.wit.WitType.RecordType;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A component's exported function as a Spark SQL user-defined function, row by row ({@link
 * #apply}, {@link #register}) or over each partition's rows in batches ({@link #mapBatches}).
 *
 * <pre>{@code
 * ComponentUdf score = ComponentUdf.of(Path.of("scoring.wasm"), "docs:scoring/scorer@0.1.0#score");
 * Dataset<Row> scored = table.withColumn("score", score.apply(table, "id", "value", "label"));
 * score.register(spark, "score");   // SELECT score(id, value, label) FROM readings
 * }</pre>
 *
 * <p>The component is compiled once, where this object is made (the driver); Spark ships the
 * compiled bytes to the executors inside this (serializable) object, and each executor JVM loads
 * them once, with the integrity check of {@link io.github.wasmtimejvm.component.Component#deserialize} (see {@link ShippedFunction}) (a truncated or corrupted
 * copy is refused, never run). Each executor keeps a pool of stores with an instance of the
 * component, one per task running at once, reused row after row; one that traps is dropped.
 *
 * <p>Types follow the function's WIT signature (see the mapping of {@code SparkTypes}: integral
 * and floating types, string, {@code list<u8>} as binary, lists as arrays, records as structs,
 * options as nullable). {@link #apply} checks the columns against the parameters and names both
 * on a mismatch. A trap fails the task with a {@link ComponentUdfException} naming the component
 * and the function, or gives null ({@link #nullOnTrap}).
 */
public final class ComponentUdf implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ShippedFunction function;
    private final boolean nullOnTrap;
    private final DataType returnType;
    private final List<DataType> parameterTypes;
    private final List<String> parameterNames;

    private ComponentUdf(ShippedFunction function, boolean nullOnTrap) {
        this.function = function;
        this.nullOnTrap = nullOnTrap;
        FuncType type = function.type();
        if (type.results().size() != 1) {
            throw new IllegalArgumentException(function + " returns " + type.results().size()
                    + " values; a UDF returns one");
        }
        this.returnType = SparkTypes.of(type.results().get(0), "the result of " + function.function());
        List<DataType> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (FuncType.Param p : type.params()) {
            params.add(SparkTypes.of(p.type(), "parameter " + p.name() + " of " + function.function()));
            names.add(p.name());
        }
        this.parameterTypes = List.copyOf(params);
        this.parameterNames = List.copyOf(names);
    }

    /**
     * The function {@code function} of the component in a file, compiled here.
     *
     * @param component a component file (binary or WAT text)
     * @param function {@code name} for a function the component exports itself, {@code interface#name}
     *     (e.g. {@code docs:scoring/scorer@0.1.0#score}) for one of an exported interface
     * @return the UDF
     * @throws IllegalArgumentException if there is no such function or its types have no Spark form
     * @throws io.github.wasmtimejvm.CompileException if the file is not a valid component
     */
    public static ComponentUdf of(Path component, String function) {
        return new ComponentUdf(ShippedFunction.of(component, function), false);
    }

    /**
     * The function {@code function} of a component's bytes, compiled here.
     *
     * @param componentName how errors name the component
     * @param componentBytes the component (binary or WAT text)
     * @param function {@code name} or {@code interface#name}
     * @return the UDF
     * @throws IllegalArgumentException if there is no such function or its types have no Spark form
     * @throws io.github.wasmtimejvm.CompileException if the bytes are not a valid component
     */
    public static ComponentUdf of(String componentName, byte[] componentBytes, String function) {
        return new ComponentUdf(ShippedFunction.of(componentName, componentBytes, function), false);
    }

    /**
     * The same function giving null for a row whose call traps, instead of failing the task.
     *
     * @return a new UDF
     */
    public ComponentUdf nullOnTrap() {
        return new ComponentUdf(function, true);
    }

    /**
     * The Spark type of the result.
     *
     * @return the result's SQL type
     */
    public DataType returnType() {
        return returnType;
    }

    /**
     * The Spark types of the parameters, in order.
     *
     * @return the parameters' SQL types
     */
    public List<DataType> parameterTypes() {
        return parameterTypes;
    }

    private FuncType type() {
        return function.type();
    }

    /** What errors say of the function: the component and the export. */
    private String named() {
        return "component " + function.componentName() + ", function " + function.function();
    }

    /** Calls the function on one row's values (Spark's forms), giving Spark's form of the result. */
    Object call(Object... sparkArgs) {
        FuncType t = type();
        Object[] args = new Object[sparkArgs.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = SparkTypes.toWit(sparkArgs[i], t.params().get(i).type());
        }
        Object result;
        try {
            result = function.call(args);
        } catch (TrapException e) {
            if (nullOnTrap) {
                return null;
            }
            throw new ComponentUdfException(named() + " trapped: " + e.getMessage(), e);
        }
        return SparkTypes.toSpark(result, t.results().get(0));
    }

    /**
     * Registers the function for SQL as {@code name} (Spark does not say which columns a SQL call
     * passes, so values that do not fit the parameters fail the call, naming the parameter).
     *
     * @param spark the session
     * @param name the SQL name
     * @return the registered function
     * @throws IllegalArgumentException if the function has more than 6 parameters
     */
    public UserDefinedFunction register(SparkSession spark, String name) {
        return spark.udf().register(name, udf());
    }

    /**
     * The function applied to {@code columns} of {@code df}, checked against its parameters.
     *
     * @param df the dataset the columns are in
     * @param columns one column name per parameter
     * @return the column of results
     * @throws IllegalArgumentException if the count differs, a column is missing, or a column's type
     *     does not fit its parameter (the message names the column and both types)
     */
    public Column apply(Dataset<?> df, String... columns) {
        if (columns.length != parameterTypes.size()) {
            throw new IllegalArgumentException(function.function() + " takes " + parameterTypes.size() + " parameters "
                    + parameterNames + ", given " + columns.length + " columns");
        }
        StructType schema = df.schema();
        Column[] cols = new Column[columns.length];
        for (int i = 0; i < columns.length; i++) {
            StructField field = schema.apply(columns[i]);
            WitType wit = type().params().get(i).type();
            if (!SparkTypes.accepts(wit, field.dataType())) {
                throw new IllegalArgumentException("column " + columns[i] + " is " + field.dataType().simpleString()
                        + " but parameter " + parameterNames.get(i) + " of " + function.function() + " is " + wit + " ("
                        + parameterTypes.get(i).simpleString() + ")");
            }
            cols[i] = df.col(columns[i]).cast(parameterTypes.get(i));
        }
        return udf().apply(cols);
    }

    private UserDefinedFunction udf() {
        UserDefinedFunction u = switch (parameterTypes.size()) {
            case 1 -> functions.udf((UDF1<Object, Object>) this::call, returnType);
            case 2 -> functions.udf((UDF2<Object, Object, Object>) this::call, returnType);
            case 3 -> functions.udf((UDF3<Object, Object, Object, Object>) this::call, returnType);
            case 4 -> functions.udf((UDF4<Object, Object, Object, Object, Object>) this::call, returnType);
            case 5 -> functions.udf((UDF5<Object, Object, Object, Object, Object, Object>) this::call, returnType);
            case 6 -> functions.udf((UDF6<Object, Object, Object, Object, Object, Object, Object>) this::call, returnType);
            default -> throw new IllegalArgumentException(function.function() + " has " + parameterTypes.size()
                    + " parameters; a row UDF takes 1 to 6 (a batch function takes a list<record>: see mapBatches)");
        };
        return u.withName(function.function());
    }

    /**
     * Runs a batch function over each partition: the function takes one {@code list<record>}
     * (each record's fields are columns of {@code df}, by name) and returns one result per record,
     * in order; {@code batchSize} rows go in each call, so a call's cost is paid once per batch.
     *
     * @param df the rows
     * @param resultColumn the name of the column added with each row's result
     * @param batchSize most rows per call
     * @return {@code df}'s rows with the result column added
     * @throws IllegalArgumentException if the function is not of that shape, or a field's column
     *     is missing or does not fit
     */
    public Dataset<Row> mapBatches(Dataset<Row> df, String resultColumn, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("the batch size must be positive");
        }
        FuncType t = type();
        if (t.params().size() != 1 || !(t.params().get(0).type() instanceof ListType in)
                || !(in.element() instanceof RecordType record)
                || !(t.results().get(0) instanceof ListType out)) {
            throw new IllegalArgumentException(function.function() + " is " + t + "; a batch function takes one list<record> and "
                    + "returns a list");
        }
        StructType schema = df.schema();
        for (WitType.Field f : record.fields()) {
            StructField column = schema.apply(f.name());
            if (!SparkTypes.accepts(f.type(), column.dataType())) {
                throw new IllegalArgumentException("column " + f.name() + " is " + column.dataType().simpleString()
                        + " but field " + f.name() + " of " + function.function() + "'s record is " + f.type());
            }
        }
        DataType resultType = SparkTypes.of(out.element(), "the result of " + function.function());
        StructType outSchema = schema.add(resultColumn, resultType, true);
        int[] fieldColumns = record.fields().stream().mapToInt(f -> schema.fieldIndex(f.name())).toArray();
        MapPartitionsFunction<Row, Row> batches = rows -> new Batches(this, rows, fieldColumns, batchSize);
        return df.mapPartitions(batches, Encoders.row(outSchema));
    }

    /** Calls the batch function on the records of one batch, giving Spark's form of each result. */
    List<Object> callBatch(List<Row> batch, int[] fieldColumns) {
        FuncType t = type();
        RecordType record = (RecordType) ((ListType) t.params().get(0).type()).element();
        WitType element = ((ListType) t.results().get(0)).element();
        List<Object> records = new ArrayList<>(batch.size());
        for (Row row : batch) {
            records.add(SparkTypes.record(row, fieldColumns, record));
        }
        List<?> results;
        try {
            results = (List<?>) function.call(records);
        } catch (TrapException e) {
            throw new ComponentUdfException(named() + " trapped on a batch of " + batch.size() + " rows: "
                    + e.getMessage(), e);
        }
        if (results.size() != batch.size()) {
            throw new ComponentUdfException(named() + " returned " + results.size() + " results for " + batch.size()
                    + " rows", null);
        }
        List<Object> out = new ArrayList<>(results.size());
        for (Object r : results) {
            out.add(SparkTypes.toSpark(r, element));
        }
        return out;
    }

    /** A partition's rows with their results, one call per batch. */
    private static final class Batches implements Iterator<Row> {
        private final ComponentUdf udf;
        private final Iterator<Row> rows;
        private final int[] fieldColumns;
        private final int batchSize;
        private List<Row> batch = List.of();
        private List<Object> results = List.of();
        private int next;

        Batches(ComponentUdf udf, Iterator<Row> rows, int[] fieldColumns, int batchSize) {
            this.udf = udf;
            this.rows = rows;
            this.fieldColumns = fieldColumns;
            this.batchSize = batchSize;
        }

        @Override
        public boolean hasNext() {
            if (next < batch.size()) {
                return true;
            }
            if (!rows.hasNext()) {
                return false;
            }
            List<Row> b = new ArrayList<>(batchSize);
            while (b.size() < batchSize && rows.hasNext()) {
                b.add(rows.next());
            }
            results = udf.callBatch(b, fieldColumns);
            batch = b;
            next = 0;
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = batch.get(next);
            Object[] values = new Object[row.length() + 1];
            for (int i = 0; i < row.length(); i++) {
                values[i] = row.get(i);
            }
            values[row.length()] = results.get(next++);
            return RowFactory.create(values);
        }
    }
}
