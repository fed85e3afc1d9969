package io.github.wasmtimejvm.module;

import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.internal.Internals;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A linear memory of a store: an export of an instance, one made by {@link #create}, or the
 * calling module's memory seen from a host function ({@link Caller#memory}).
 *
 * <p>Every access goes through the native side, which checks it against the memory's current
 * size and reads the memory's current base: nothing here can dangle after {@code memory.grow}
 * or after the store closes, and no {@code ByteBuffer} over linear memory is ever handed out.
 * Reads and writes copy straight between linear memory and the Java array or buffer. Multi-byte
 * values are little-endian, as WebAssembly stores them. An access outside the memory throws
 * {@link IndexOutOfBoundsException}.
 */
public final class Memory implements Extern {

    private final Store store;
    private final int id;
    /** For a caller's memory: the export name, and the host call it belongs to. */
    private final String callerExport;
    private final Caller caller;

    private Memory(Store store, int id, String callerExport, Caller caller) {
        this.store = store;
        this.id = id;
        this.callerExport = callerExport;
        this.caller = caller;
    }

    static Memory of(Store store, int id) {
        return Internals.resources(store).core().item(id, i -> new Memory(store, i, null, null));
    }

    static Memory ofCaller(Caller caller, String name) {
        return new Memory(caller.store(), -1, name, caller);
    }

    /**
     * Creates a memory in {@code store} (to define in a {@link Linker} for modules to import).
     *
     * @param store the store that will own the memory
     * @param type its limits and index type
     * @return the new memory, zero-filled at its minimum size
     * @throws IllegalArgumentException if the type is not possible (shared memories cannot be
     *     made here)
     */
    public static Memory create(Store store, MemoryType type) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(type, "type");
        if (type.shared() || type.pageSizeLog2() != 16) {
            throw new IllegalArgumentException("the host can create only unshared memories of 64 KiB pages, not " + type);
        }
        try {
            int id = create0(Internals.address(store), type.minimum(), type.maximum().orElse(-1), type.is64());
            return of(store, id);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    @Override
    public Store store() {
        return store;
    }

    int id() {
        if (caller != null) {
            throw new IllegalArgumentException("a caller's memory view cannot be defined or passed as an item;"
                    + " look the memory up as an export of the instance instead");
        }
        return id;
    }

    /** The memory's type (its current limits). */
    @Override
    public MemoryType type() {
        if (caller == null) {
            return (MemoryType) Instance.itemType(store, id);
        }
        long max = query(3);
        return new MemoryType(size(), max < 0 ? OptionalLong.empty() : OptionalLong.of(max), query(4) != 0, false,
                Long.numberOfTrailingZeros(pageSize()));
    }

    private long query(int what) {
        try {
            return query0(caller != null ? caller.storeAddress() : Internals.address(store), id, callerExport, what);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * The current size in pages.
     *
     * @return the size in pages, as {@code memory.size} reports it
     */
    public long size() {
        return query(0);
    }

    /**
     * The current size in bytes.
     *
     * @return the size in bytes (pages times the page size)
     */
    public long dataSize() {
        return query(1);
    }

    /**
     * The size of a page in bytes (65536 unless the custom-page-sizes proposal says otherwise).
     *
     * @return the page size in bytes
     */
    public long pageSize() {
        return query(2);
    }

    /**
     * Grows the memory by {@code pages} pages, as {@code memory.grow} does.
     *
     * @param pages how many pages to add (0 just reads the size)
     * @return the previous size in pages, or -1 if it cannot grow that far (its maximum, the
     *     store's memory limit, or the host's memory)
     */
    public long grow(long pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("pages must be >= 0, got " + pages);
        }
        try {
            return grow0(caller != null ? caller.storeAddress() : Internals.address(store), id, callerExport, pages);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Copies {@code length} bytes at {@code offset} into {@code dst[dstOffset...]}.
     *
     * @param offset the address in the memory to read from
     * @param dst the array to copy into
     * @param dstOffset where in {@code dst} the bytes go
     * @param length how many bytes
     * @throws IndexOutOfBoundsException if the range is outside {@code dst} or outside the memory
     */
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        try {
            read0(caller != null ? caller.storeAddress() : Internals.address(store), id, callerExport, offset, dst, dstOffset, length);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Fills {@code dst} with the bytes at {@code offset}.
     *
     * @param offset the address to read from
     * @param dst the array to fill, all of it
     * @throws IndexOutOfBoundsException if the range is outside the memory
     */
    public void read(long offset, byte[] dst) {
        read(offset, dst, 0, dst.length);
    }

    /**
     * The {@code length} bytes at {@code offset}.
     *
     * @param offset the address to read from
     * @param length how many bytes
     * @return a new array of the bytes
     * @throws IndexOutOfBoundsException if the range is outside the memory
     */
    public byte[] read(long offset, int length) {
        byte[] out = new byte[length];
        read(offset, out, 0, length);
        return out;
    }

    /**
     * The {@code length} bytes at {@code offset} decoded as UTF-8 (malformed input replaced).
     *
     * @param offset the address of the first byte
     * @param length the length in bytes (not characters)
     * @return the decoded text
     * @throws IndexOutOfBoundsException if the range is outside the memory
     */
    public String readString(long offset, int length) {
        return new String(read(offset, length), StandardCharsets.UTF_8);
    }

    /**
     * Fills {@code dst} from its position to its limit with the bytes at {@code offset}, and
     * advances its position.
     *
     * @param offset the address to read from
     * @param dst the buffer to fill; direct, heap or other
     * @throws IndexOutOfBoundsException if the range is outside the memory
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     */
    public void read(long offset, ByteBuffer dst) {
        int n = dst.remaining();
        if (dst.isDirect()) {
            if (dst.isReadOnly()) {
                throw new java.nio.ReadOnlyBufferException();
            }
            try {
                copyBuffer0(caller != null ? caller.storeAddress() : Internals.address(store), id, callerExport, offset, dst, dst.position(), n, true);
            } finally {
                Reference.reachabilityFence(store);
                Reference.reachabilityFence(dst);
            }
        } else if (dst.hasArray()) {
            read(offset, dst.array(), dst.arrayOffset() + dst.position(), n);
        } else {
            dst.put(read(offset, n));
            return;
        }
        dst.position(dst.position() + n);
    }

    /**
     * Copies {@code src[srcOffset...srcOffset+length)} into the memory at {@code offset}.
     *
     * @param offset the address in the memory to write to
     * @param src the array to copy from
     * @param srcOffset where in {@code src} the bytes start
     * @param length how many bytes
     * @throws IndexOutOfBoundsException if the range is outside {@code src} or outside the memory
     */
    public void write(long offset, byte[] src, int srcOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        try {
            write0(caller != null ? caller.storeAddress() : Internals.address(store), id, callerExport, offset, src, srcOffset, length);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * Copies {@code src} into the memory at {@code offset}.
     *
     * @param offset the address to write to
     * @param src the bytes, all of them
     * @throws IndexOutOfBoundsException if the range is outside the memory
     */
    public void write(long offset, byte[] src) {
        write(offset, src, 0, src.length);
    }

    /**
     * Copies the bytes of {@code src} from its position to its limit into the memory at {@code
     * offset}, and advances its position.
     *
     * @param offset the address to write to
     * @param src the buffer to copy from
     * @throws IndexOutOfBoundsException if the range is outside the memory
     */
    public void write(long offset, ByteBuffer src) {
        int n = src.remaining();
        if (src.isDirect()) {
            try {
                copyBuffer0(caller != null ? caller.storeAddress() : Internals.address(store), id, callerExport, offset, src, src.position(), n, false);
            } finally {
                Reference.reachabilityFence(store);
                Reference.reachabilityFence(src);
            }
            src.position(src.position() + n);
        } else if (src.hasArray()) {
            write(offset, src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.position() + n);
        } else {
            byte[] copy = new byte[n];
            src.get(copy);
            write(offset, copy);
        }
    }

    private long loadValue(long offset, int width) {
        try {
            return load0(caller != null ? caller.storeAddress() : Internals.address(store), id, callerExport, offset, width);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    private void storeValue(long offset, int width, long value) {
        try {
            store0(caller != null ? caller.storeAddress() : Internals.address(store), id, callerExport, offset, width, value);
        } finally {
            Reference.reachabilityFence(store);
        }
    }

    /**
     * The byte at {@code offset}.
     *
     * @param offset the address of its first byte
     * @return the byte stored there
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public byte getByte(long offset) {
        return (byte) loadValue(offset, 1);
    }

    /**
     * The little-endian {@code short} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @return the short stored there
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public short getShort(long offset) {
        return (short) loadValue(offset, 2);
    }

    /**
     * The little-endian {@code int} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @return the int stored there
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public int getInt(long offset) {
        return (int) loadValue(offset, 4);
    }

    /**
     * The little-endian {@code long} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @return the long stored there
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public long getLong(long offset) {
        return loadValue(offset, 8);
    }

    /**
     * The little-endian {@code float} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @return the float stored there
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public float getFloat(long offset) {
        return Float.intBitsToFloat(getInt(offset));
    }

    /**
     * The little-endian {@code double} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @return the double stored there
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public double getDouble(long offset) {
        return Double.longBitsToDouble(getLong(offset));
    }

    /**
     * Writes a byte at {@code offset}.
     *
     * @param offset the address of its first byte
     * @param value the byte to store
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public void putByte(long offset, byte value) {
        storeValue(offset, 1, value);
    }

    /**
     * Writes a little-endian {@code short} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @param value the short to store
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public void putShort(long offset, short value) {
        storeValue(offset, 2, value);
    }

    /**
     * Writes a little-endian {@code int} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @param value the int to store
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public void putInt(long offset, int value) {
        storeValue(offset, 4, value);
    }

    /**
     * Writes a little-endian {@code long} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @param value the long to store
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public void putLong(long offset, long value) {
        storeValue(offset, 8, value);
    }

    /**
     * Writes a little-endian {@code float} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @param value the float to store
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public void putFloat(long offset, float value) {
        putInt(offset, Float.floatToRawIntBits(value));
    }

    /**
     * Writes a little-endian {@code double} at {@code offset}.
     *
     * @param offset the address of its first byte
     * @param value the double to store
     * @throws IndexOutOfBoundsException if it does not fit in the memory
     */
    public void putDouble(long offset, double value) {
        putLong(offset, Double.doubleToRawLongBits(value));
    }

    @Override
    public String toString() {
        return caller != null ? "Memory(caller's \"" + callerExport + "\")" : "Memory#" + id;
    }

    private static native int create0(long store, long minimum, long maximum, boolean is64);

    private static native long query0(long store, int id, String callerExport, int what);

    private static native long grow0(long store, int id, String callerExport, long delta);

    private static native void read0(long store, int id, String callerExport, long offset, byte[] dst, int start, int len);

    private static native void write0(long store, int id, String callerExport, long offset, byte[] src, int start, int len);

    private static native void copyBuffer0(long store, int id, String callerExport, long offset, ByteBuffer buffer,
            int start, int len, boolean toBuffer);

    private static native long load0(long store, int id, String callerExport, long offset, int width);

    private static native void store0(long store, int id, String callerExport, long offset, int width, long value);
}
