package io.github.wasmtimejvm.wasi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A clock a WASI guest reads: the host's real clock (the default), or, for deterministic runs, a
 * clock that stands still or moves a fixed step forward on every read.
 *
 * @param kind what kind of clock
 * @param startNanos the first reading (nanoseconds since the Unix epoch for a wall clock; any
 *     origin for a monotonic clock)
 * @param stepNanos how far the clock moves on each read (advancing clocks)
 */
public record WasiClock(Kind kind, long startNanos, long stepNanos) {

    /** The kinds of clock. */
    public enum Kind {
        /** The host's real clock. */
        SYSTEM,
        /** Always the same reading. */
        FIXED,
        /** Moves a fixed step forward on each read. */
        ADVANCING
    }

    public WasiClock {
        Objects.requireNonNull(kind, "kind");
        if (startNanos < 0 || stepNanos < 0) {
            throw new IllegalArgumentException("clock readings and steps must not be negative");
        }
    }

    /** The host's real clock. */
    public static WasiClock system() {
        return new WasiClock(Kind.SYSTEM, 0, 0);
    }

    /** A wall clock that always reads {@code instant}. */
    public static WasiClock fixed(Instant instant) {
        return new WasiClock(Kind.FIXED, nanos(instant), 0);
    }

    /** A clock that always reads {@code nanos}. */
    public static WasiClock fixedNanos(long nanos) {
        return new WasiClock(Kind.FIXED, nanos, 0);
    }

    /** A wall clock that reads {@code start}, then moves {@code step} forward on every read. */
    public static WasiClock advancing(Instant start, Duration step) {
        return new WasiClock(Kind.ADVANCING, nanos(start), step.toNanos());
    }

    /** A clock that reads {@code startNanos}, then moves {@code stepNanos} forward on every read. */
    public static WasiClock advancingNanos(long startNanos, long stepNanos) {
        return new WasiClock(Kind.ADVANCING, startNanos, stepNanos);
    }

    private static long nanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }
}
