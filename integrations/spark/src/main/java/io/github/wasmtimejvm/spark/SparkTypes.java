package io.github.wasmtimejvm.spark;

import io.github.wasmtimejvm.wit.WitType;
import io.github.wasmtimejvm.wit.WitType.Field;
import io.github.wasmtimejvm.wit.WitType.ListType;
import io.github.wasmtimejvm.wit.WitType.OptionType;
import io.github.wasmtimejvm.wit.WitType.Primitive;
import io.github.wasmtimejvm.wit.WitType.RecordType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import scala.collection.JavaConverters;

/**
 * WIT types as Spark SQL types, and values between the two: s8/s16/s32/s64 as Byte/Short/Integer/
 * Long types, u8/u16/u32 as the next wider signed type, u64 as {@code decimal(20,0)}, f32/f64 as
 * Float/Double, bool as Boolean, string and char as String, {@code list<u8>} as Binary, other
 * lists as arrays, records as structs (fields by name), and {@code option<T>} as a nullable T.
 * Anything else (variants, results, resources, ...) has no Spark form and is refused at
 * registration.
 */
final class SparkTypes {
    private SparkTypes() {}

    /** The Spark type of a WIT type (nullable only for an option), or a message saying why none. */
    static DataType of(WitType t, String where) {
        if (t instanceof OptionType o) {
            return of(o.type(), where);
        } else if (t instanceof Primitive p) {
            return switch (p) {
                case BOOL -> DataTypes.BooleanType;
                case S8 -> DataTypes.ByteType;
                case S16, U8 -> DataTypes.ShortType;
                case S32, U16 -> DataTypes.IntegerType;
                case S64, U32 -> DataTypes.LongType;
                case U64 -> DataTypes.createDecimalType(20, 0);
                case F32 -> DataTypes.FloatType;
                case F64 -> DataTypes.DoubleType;
                case CHAR, STRING -> DataTypes.StringType;
            };
        } else if (t instanceof ListType l) {
            if (l.element() == Primitive.U8) {
                return DataTypes.BinaryType;
            }
            return DataTypes.createArrayType(of(l.element(), where + " element"), l.element() instanceof OptionType);
        } else if (t instanceof RecordType r) {
            List<StructField> fields = new ArrayList<>();
            for (Field f : r.fields()) {
                fields.add(DataTypes.createStructField(f.name(), of(f.type(), where + " field " + f.name()),
                        f.type() instanceof OptionType));
            }
            return DataTypes.createStructType(fields);
        }
        throw new IllegalArgumentException(where + " is " + t + ", which has no Spark SQL type (supported: numbers, bool, "
                + "char, string, list<u8> as binary, lists as arrays, records as structs, options as nullable)");
    }

    /** Whether a column of Spark type {@code column} can be passed where WIT type {@code t} is. */
    static boolean accepts(WitType t, DataType column) {
        DataType want = of(t, "");
        if (want.sameType(column)) {
            return true;
        }
        // A narrower integral column widens without loss.
        return rank(column) > 0 && rank(want) >= rank(column) && !(want instanceof DecimalType);
    }

    private static int rank(DataType t) {
        if (t.sameType(DataTypes.ByteType)) {
            return 1;
        } else if (t.sameType(DataTypes.ShortType)) {
            return 2;
        } else if (t.sameType(DataTypes.IntegerType)) {
            return 3;
        } else if (t.sameType(DataTypes.LongType)) {
            return 4;
        }
        return 0;
    }

    /** A Spark value (as a Java UDF or a Row gives it) as the plain Java value the WIT type takes. */
    static Object toWit(Object v, WitType t) {
        if (t instanceof OptionType o) {
            return v == null ? Optional.empty() : Optional.of(toWit(v, o.type()));
        }
        if (v == null) {
            throw new IllegalArgumentException("null where " + t + " is expected (only an option<...> takes null)");
        }
        if (t == Primitive.U64 && v instanceof BigDecimal d) {
            return d.toBigIntegerExact();
        } else if (t instanceof ListType l && l.element() != Primitive.U8) {
            List<Object> out = new ArrayList<>();
            for (Object e : iterable(v)) {
                out.add(toWit(e, l.element()));
            }
            return out;
        } else if (t instanceof RecordType r && v instanceof Row row) {
            int[] columns = r.fields().stream().mapToInt(f -> row.fieldIndex(f.name())).toArray();
            return record(row, columns, r);
        }
        return v;
    }

    /**
     * The columns of {@code row} as a record of type {@code r}: the field values in field order
     * (a form the call takes for a record), each converted as it is read.
     */
    static List<Object> record(Row row, int[] columns, RecordType r) {
        List<Field> fields = r.fields();
        return new AbstractList<>() {
            @Override
            public Object get(int i) {
                return toWit(row.get(columns[i]), fields.get(i).type());
            }

            @Override
            public int size() {
                return columns.length;
            }
        };
    }

    private static Iterable<?> iterable(Object v) {
        if (v instanceof scala.collection.Seq<?> s) {
            return JavaConverters.seqAsJavaList(s);
        } else if (v instanceof Collection<?> c) {
            return c;
        } else if (v instanceof Object[] a) {
            return List.of(a);
        }
        throw new IllegalArgumentException("not a list: " + v.getClass().getName());
    }

    /** A plain Java result of WIT type {@code t} as the value Spark takes for its SQL type. */
    static Object toSpark(Object v, WitType t) {
        if (t instanceof OptionType o) {
            Optional<?> opt = (Optional<?>) v;
            return opt.isEmpty() ? null : toSpark(opt.get(), o.type());
        } else if (t == Primitive.U8) {
            return ((Number) v).shortValue();
        } else if (t == Primitive.U16) {
            return ((Number) v).intValue();
        } else if (t == Primitive.U32) {
            return ((Number) v).longValue();
        } else if (t == Primitive.U64) {
            return new BigDecimal((BigInteger) v);
        } else if (t instanceof ListType l && l.element() != Primitive.U8) {
            List<Object> out = new ArrayList<>();
            for (Object e : (List<?>) v) {
                out.add(toSpark(e, l.element()));
            }
            return JavaConverters.asScalaBuffer(out).toSeq();
        } else if (t instanceof RecordType r) {
            Map<?, ?> m = (Map<?, ?>) v;
            Object[] fields = new Object[r.fields().size()];
            for (int i = 0; i < fields.length; i++) {
                Field f = r.fields().get(i);
                fields[i] = toSpark(m.get(f.name()), f.type());
            }
            return RowFactory.create(fields);
        }
        return v;
    }
}
