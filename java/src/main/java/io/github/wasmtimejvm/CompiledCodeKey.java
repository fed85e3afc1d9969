package io.github.wasmtimejvm;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret key that authenticates compiled code (HMAC-SHA256). An engine configured with one
 * ({@link Engine.Config.Builder#compiledCodeKey}) signs what {@code Component.serialize()} and
 * {@link Engine#precompileComponent} produce, and {@code Component.deserialize} then loads only
 * bytes signed with the same key: bytes kept where others can write (a shared cache, a download)
 * can be trusted only this way, since a plain checksum can be recomputed by whoever changes them.
 *
 * <p>Immutable; {@link #toString()} never shows the key.
 */
public final class CompiledCodeKey {
    /** The shortest key accepted. */
    public static final int MIN_LENGTH = 16;

    private final byte[] key;

    private CompiledCodeKey(byte[] key) {
        this.key = key;
    }

    /**
     * A key of these bytes (copied); 32 random bytes are best.
     *
     * @param key the secret
     * @return a key holding a copy of the bytes
     * @throws IllegalArgumentException if it is shorter than {@value #MIN_LENGTH} bytes
     */
    public static CompiledCodeKey of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_LENGTH) {
            throw new IllegalArgumentException("a compiled-code key needs at least " + MIN_LENGTH
                    + " bytes, got " + key.length);
        }
        return new CompiledCodeKey(key.clone());
    }

    /**
     * A copy of the key's bytes.
     *
     * @return a new array with the key's bytes
     */
    public byte[] bytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompiledCodeKey other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "CompiledCodeKey[" + key.length + " bytes]";
    }
}
