package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.CallBuffer;
import io.github.wasmtimejvm.wit.FuncType;
import io.github.wasmtimejvm.wit.WitType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Runs host functions for the native side (the upcall target of {@code jni/host_function.rs}). */
final class HostFunctions {

    /** A defined host function: its declared type and its implementation (one of the two). */
    static final class Entry {
        final FuncType type;
        final HostFunction plain;
        final ValHostFunction values;
        /** A method of a typed binding ({@link Linker#implement}), with its codecs. */
        final ImportBinding.HostMethod typed;
        /** An asynchronous function ({@link LinkerInstance#funcAsync}), run by {@link #invokeAsync}. */
        final AsyncHostFunction async;
        String name = "host function";

        Entry(FuncType type, HostFunction plain, ValHostFunction values) {
            this.type = type;
            this.plain = plain;
            this.values = values;
            this.typed = null;
            this.async = null;
        }

        Entry(FuncType type, ImportBinding.HostMethod typed) {
            this.type = type;
            this.plain = null;
            this.values = null;
            this.typed = typed;
            this.async = null;
        }

        Entry(FuncType type, AsyncHostFunction async) {
            this.type = type;
            this.plain = null;
            this.values = null;
            this.typed = null;
            this.async = async;
        }
    }

    private HostFunctions() {}

    /**
     * Called from native code for an all-scalar host function (at most four parameters): the
     * arguments as slots ({@link ScalarFunc} describes the encoding), the result as a slot (0 for
     * none). Exceptions propagate to the native side, which traps the guest with them.
     */
    static long invokeScalar(Entry entry, int argc, long a0, long a1, long a2, long a3)
            throws Exception {
        List<FuncType.Param> params = entry.type.params();
        List<WitType> results = entry.type.results();
        if (entry.typed != null) {
            Codec[] codecs = entry.typed.params;
            Object[] args = new Object[argc];
            for (int i = 0; i < argc; i++) {
                args[i] = codecs[i].fromSlot(slot(i, a0, a1, a2, a3));
            }
            Object result = callTyped(entry, args);
            if (results.isEmpty()) {
                return 0;
            }
            try {
                return entry.typed.result.toSlot(result);
            } catch (PlainJava.Mismatch m) {
                throw new IllegalArgumentException("host function `" + entry.name + "` returned a bad result 0: "
                        + m.getMessage());
            }
        }
        if (entry.plain != null) {
            Object[] args = new Object[argc];
            for (int i = 0; i < argc; i++) {
                args[i] = ScalarSlots.toPlain(slot(i, a0, a1, a2, a3), (WitType.Primitive) params.get(i).type());
            }
            Object result = entry.plain.call(args);
            if (results.isEmpty()) {
                return 0;
            }
            return resultSlot(entry, result, (WitType.Primitive) results.get(0));
        }
        java.util.ArrayList<Val> args = new java.util.ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            args.add(ScalarSlots.toVal(slot(i, a0, a1, a2, a3), (WitType.Primitive) params.get(i).type()));
        }
        List<Val> out = entry.values.call(args);
        if (out == null || out.size() != results.size()) {
            throw new IllegalArgumentException("host function `" + entry.name + "` returned "
                    + (out == null ? "null" : out.size() + " result(s)") + ", its type " + entry.type
                    + " has " + results.size());
        }
        return results.isEmpty() ? 0 : resultSlot(entry, out.get(0), (WitType.Primitive) results.get(0));
    }

    /** Runs a typed host method; what it throws (but its mapped error results) traps the guest. */
    private static Object callTyped(Entry entry, Object[] args) throws Exception {
        try {
            return entry.typed.call(args);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long slot(int i, long a0, long a1, long a2, long a3) {
        return switch (i) {
            case 0 -> a0;
            case 1 -> a1;
            case 2 -> a2;
            default -> a3;
        };
    }

    private static long resultSlot(Entry entry, Object result, WitType.Primitive type) {
        try {
            return ScalarSlots.fromValue(result, type);
        } catch (PlainJava.Mismatch m) {
            throw new IllegalArgumentException("host function `" + entry.name + "` returned a bad result 0: "
                    + m.getMessage());
        }
    }

    /** Called from native code when the guest drops its handle to a host resource. */
    static void dropResource(Store store, int rep) {
        io.github.wasmtimejvm.internal.Internals.resources(store).hostDrop(rep);
    }

    /**
     * Called from native code on the thread running the guest, with the arguments encoded in the
     * call buffer; returns the length of the encoded results (negative lengths are not used in this
     * direction). Exceptions propagate to the native side, which traps the guest with them.
     */
    static int invoke(Entry entry, Store store, int argLength) throws Exception {
        ByteBuffer in = CallBuffer.get().results(argLength);
        ValueDecoder decoder = new ValueDecoder(in, store);
        List<FuncType.Param> params = entry.type.params();
        List<WitType> resultTypes = entry.type.results();
        CallBuffer out;
        ValueEncoder encoder;
        try {
            if (entry.typed != null) {
                Codec[] codecs = entry.typed.params;
                Object[] args = new Object[codecs.length];
                for (int i = 0; i < args.length; i++) {
                    args[i] = codecs[i].read(decoder);
                }
                Object result = callTyped(entry, args);
                out = CallBuffer.get().begin();
                encoder = new ValueEncoder(out, store);
                if (entry.typed.result != null) {
                    try {
                        entry.typed.result.write(encoder, result);
                    } catch (PlainJava.Mismatch m) {
                        encoder.abandon();
                        throw new IllegalArgumentException("host function `" + entry.name + "` returned a bad result 0: "
                                + m.getMessage());
                    }
                }
            } else if (entry.plain != null) {
                Object[] args = new Object[params.size()];
                for (int i = 0; i < args.length; i++) {
                    args[i] = decoder.readPlain(params.get(i).type(), null);
                }
                Object result = entry.plain.call(args);
                out = CallBuffer.get().begin();
                encoder = new ValueEncoder(out, store);
                if (resultTypes.size() == 1) {
                    write(entry, encoder, result, resultTypes.get(0), 0);
                } else if (resultTypes.size() > 1) {
                    if (!(result instanceof List<?> list) || list.size() != resultTypes.size()) {
                        throw new IllegalArgumentException("host function `" + entry.name + "` must return a List of "
                                + resultTypes.size() + " results");
                    }
                    for (int i = 0; i < resultTypes.size(); i++) {
                        write(entry, encoder, list.get(i), resultTypes.get(i), i);
                    }
                }
            } else {
                List<Val> args = new ArrayList<>(params.size());
                for (FuncType.Param p : params) {
                    args.add(decoder.readVal(p.type()));
                }
                List<Val> results = entry.values.call(args);
                if (results == null || results.size() != resultTypes.size()) {
                    throw new IllegalArgumentException("host function `" + entry.name + "` returned "
                            + (results == null ? "null" : results.size() + " result(s)") + ", its type "
                            + entry.type + " has " + resultTypes.size());
                }
                out = CallBuffer.get().begin();
                encoder = new ValueEncoder(out, store);
                for (int i = 0; i < resultTypes.size(); i++) {
                    write(entry, encoder, results.get(i), resultTypes.get(i), i);
                }
            }
        } finally {
            for (Resource r : decoder.borrows()) {
                r.borrowEnded();
            }
        }
        for (Resource r : encoder.transferred()) {
            r.transferred();
        }
        return out.length();
    }

    /**
     * Called from native code on an async worker (or the thread instantiating) for an
     * asynchronous host function, with the arguments encoded in the call buffer: runs the
     * function and registers the completion of the stage it returns, which reports to the
     * native call under {@code token} from whichever thread completes the stage. Exceptions
     * thrown here (the function's own, or a null stage) trap the guest at once.
     */
    static void invokeAsync(Entry entry, Store store, int argLength, long token) throws Exception {
        ByteBuffer in = CallBuffer.get().results(argLength);
        ValueDecoder decoder = new ValueDecoder(in, store);
        List<FuncType.Param> params = entry.type.params();
        Object[] args = new Object[params.size()];
        CompletionStage<?> stage;
        try {
            for (int i = 0; i < args.length; i++) {
                args[i] = decoder.readPlain(params.get(i).type(), null);
            }
            stage = entry.async.call(args);
            if (stage == null) {
                throw new IllegalArgumentException("asynchronous host function `" + entry.name
                        + "` returned null instead of a CompletionStage");
            }
        } catch (Throwable t) {
            endBorrows(decoder.borrows());
            throw t;
        }
        List<Resource> borrows = decoder.borrows();
        stage.whenComplete((result, failure) -> complete(entry, store, token, borrows, result, failure));
    }

    /** Reports the end of an asynchronous host function's stage to its native call. */
    private static void complete(Entry entry, Store store, long token, List<Resource> borrows, Object result,
            Throwable failure) {
        endBorrows(borrows);
        if (failure != null) {
            failHost0(token, failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure);
            return;
        }
        ValueEncoder encoder = null;
        try {
            CallBuffer out = CallBuffer.get().begin();
            encoder = new ValueEncoder(out, store);
            List<WitType> resultTypes = entry.type.results();
            if (resultTypes.size() == 1) {
                write(entry, encoder, result, resultTypes.get(0), 0);
            } else if (resultTypes.size() > 1) {
                if (!(result instanceof List<?> list) || list.size() != resultTypes.size()) {
                    throw new IllegalArgumentException("asynchronous host function `" + entry.name
                            + "` must complete with a List of " + resultTypes.size() + " results");
                }
                for (int i = 0; i < resultTypes.size(); i++) {
                    write(entry, encoder, list.get(i), resultTypes.get(i), i);
                }
            }
            if (completeHost0(token, out.length())) {
                for (Resource r : encoder.transferred()) {
                    r.transferred();
                }
            } else {
                // The call ended (it was cancelled): the results go nowhere.
                encoder.abandon();
            }
        } catch (Throwable t) {
            if (encoder != null) {
                encoder.abandon();
            }
            failHost0(token, t);
        }
    }

    private static void endBorrows(List<Resource> borrows) {
        for (Resource r : borrows) {
            r.borrowEnded();
        }
    }

    private static native boolean completeHost0(long token, int length);

    private static native boolean failHost0(long token, Throwable error);

    static {
        io.github.wasmtimejvm.internal.NativeLibrary.load();
    }

    private static void write(Entry entry, ValueEncoder encoder, Object value, WitType type, int index) {
        try {
            encoder.write(value, type);
        } catch (PlainJava.Mismatch m) {
            encoder.abandon();
            throw new IllegalArgumentException("host function `" + entry.name + "` returned a bad result "
                    + index + ": " + m.getMessage());
        }
    }
}
