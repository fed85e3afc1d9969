package io.github.wasmtimejvm.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The per-thread direct buffer that carries encoded values between Java and the native
 * library. Arguments are written from position 0; the native side, which knows each thread's
 * current buffer, reads them and writes results back from position 0. Results that do not fit
 * are kept natively and fetched after the buffer has grown ({@link #takeOverflow}).
 *
 * <p>Each phase of a call fetches the buffer afresh with {@link #get()}: a nested call made from
 * a host function on the same thread may grow (replace) it.
 */
public final class CallBuffer {
    private static final int INITIAL = 64 * 1024;
    /** A buffer grown past this for one large call goes back to {@link #INITIAL} after it. */
    static final int KEEP = 4 * 1024 * 1024;
    private static final ThreadLocal<CallBuffer> LOCAL = ThreadLocal.withInitial(CallBuffer::new);

    private ByteBuffer buffer;
    private long address;
    /** A heap array reused to decode large strings (see {@link #scratch}). */
    private byte[] scratch = new byte[0];

    private CallBuffer() {
        allocate(INITIAL);
    }

    /** This thread's buffer. */
    public static CallBuffer get() {
        return LOCAL.get();
    }

    private void allocate(int capacity) {
        buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        address = directAddress(buffer);
        // The native side reads arguments from and writes results to this thread's current
        // buffer; a nested call that grows the buffer re-registers it, so the native side never
        // writes into a buffer Java has dropped.
        register0(address, capacity);
    }

    /**
     * Gives back the room a large call made: when the buffer grew past {@value #KEEP} bytes it is
     * replaced by one of the initial size (the large one is freed with its garbage). Called when
     * a call from Java has read its results, so that one 100 MiB argument does not keep 200 MiB
     * per thread for good.
     */
    public void trim() {
        if (buffer.capacity() > KEEP) {
            allocate(INITIAL);
        }
        if (scratch.length > KEEP) {
            scratch = new byte[0];
        }
    }

    /**
     * A heap array of at least {@code n} bytes, reused by this thread: a large string result is
     * read into it and decoded from there, so that decoding allocates only the String itself.
     * Its contents are only valid until the next use.
     */
    public byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(2 * scratch.length, Integer.MAX_VALUE - 8))];
        }
        return scratch;
    }

    /** The buffer, positioned at 0 with the limit at capacity. */
    public ByteBuffer clear() {
        return buffer.clear();
    }

    /** The buffer as it is. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The native address of the buffer's first byte. */
    public long address() {
        return address;
    }

    /** The capacity in bytes. */
    public int capacity() {
        return buffer.capacity();
    }

    /**
     * Makes room for {@code needed} more bytes after the current position, keeping what was
     * written so far; returns the (possibly new) buffer.
     */
    public ByteBuffer ensureRemaining(int needed) {
        if (buffer.remaining() >= needed) {
            return buffer;
        }
        long want = (long) buffer.position() + needed;
        if (want > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("value too large to pass: " + want + " bytes");
        }
        long capacity = Math.max((long) buffer.capacity() * 2, want);
        int newCapacity = (int) Math.min(capacity, Integer.MAX_VALUE - 8);
        ByteBuffer old = buffer;
        int position = old.position();
        allocate(newCapacity);
        old.flip();
        buffer.put(old);
        buffer.position(position);
        return buffer;
    }

    /**
     * Called after a native call answered that its results need {@code length} bytes: grows the
     * buffer and copies the kept results into it. Returns the buffer positioned at 0 with the
     * limit at {@code length}.
     */
    public ByteBuffer takeOverflow(int length) {
        if (buffer.capacity() < length) {
            allocate(Math.max(length, buffer.capacity() * 2));
        }
        takeOverflow0();
        return buffer.clear().limit(length);
    }

    /** Positions the buffer to read {@code length} result bytes from 0. */
    public ByteBuffer results(int length) {
        return length < 0 ? takeOverflow(-length) : buffer.clear().limit(length);
    }

    // ---- writing, growing as needed ----

    /** Starts writing at position 0. */
    public CallBuffer begin() {
        buffer.clear();
        return this;
    }

    /** Bytes written since {@link #begin()}. */
    public int length() {
        return buffer.position();
    }

    /** Writes one byte. */
    public void putByte(int v) {
        ensureRemaining(1).put((byte) v);
    }

    /** Writes a little-endian 16-bit value. */
    public void putShort(int v) {
        ensureRemaining(2).putShort((short) v);
    }

    /** Writes a little-endian 32-bit value. */
    public void putInt(int v) {
        ensureRemaining(4).putInt(v);
    }

    /** Writes a little-endian 64-bit value. */
    public void putLong(long v) {
        ensureRemaining(8).putLong(v);
    }

    /** Writes raw bytes. */
    public void putBytes(byte[] bytes) {
        ensureRemaining(bytes.length).put(bytes);
    }

    /** Writes a length-prefixed UTF-8 string. */
    public void putString(String s) {
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ensureRemaining(4 + utf8.length).putInt(utf8.length).put(utf8);
    }

    private static native long directAddress(ByteBuffer buffer);

    private static native void register0(long address, int capacity);

    private static native void takeOverflow0();

    static {
        NativeLibrary.load();
    }
}
