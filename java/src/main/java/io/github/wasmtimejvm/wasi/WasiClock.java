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

    /**
     * Checks the readings.
     *
     * @param kind what kind of clock
     * @param startNanos the first reading
     * @param stepNanos the step of an advancing clock
     * @throws NullPointerException if {@code kind} is null
     * @throws IllegalArgumentException if {@code startNanos} or {@code stepNanos} is negative
     */
    public WasiClock {
        Objects.requireNonNull(kind, "kind");
        if (startNanos < 0 || stepNanos < 0) {
            throw new IllegalArgumentException("clock readings and steps must not be negative");
        }
    }

    /**
     * The host's real clock.
     *
     * @return a {@link Kind#SYSTEM} clock: the host's wall clock, or its monotonic clock
     */
    public static WasiClock system() {
        return new WasiClock(Kind.SYSTEM, 0, 0);
    }

    /**
     * A wall clock that always reads {@code instant}.
     *
     * @param instant the reading; not before 1970
     * @return a {@link Kind#FIXED} clock
     * @throws IllegalArgumentException if {@code instant} is before the Unix epoch
     */
    public static WasiClock fixed(Instant instant) {
        return new WasiClock(Kind.FIXED, nanos(instant), 0);
    }

    /**
     * A clock that always reads {@code nanos}.
     *
     * @param nanos the reading in nanoseconds, not negative
     * @return a {@link Kind#FIXED} clock
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public static WasiClock fixedNanos(long nanos) {
        return new WasiClock(Kind.FIXED, nanos, 0);
    }

    /**
     * A wall clock that reads {@code start}, then moves {@code step} forward on every read.
     *
     * @param start the first reading; not before 1970
     * @param step how far each read moves the clock
     * @return an {@link Kind#ADVANCING} clock
     * @throws IllegalArgumentException if {@code start} is before the Unix epoch or {@code step} is negative
     */
    public static WasiClock advancing(Instant start, Duration step) {
        return new WasiClock(Kind.ADVANCING, nanos(start), step.toNanos());
    }

    /**
     * A clock that reads {@code startNanos}, then moves {@code stepNanos} forward on every read.
     *
     * @param startNanos the first reading in nanoseconds
     * @param stepNanos how many nanoseconds each read moves the clock
     * @return an {@link Kind#ADVANCING} clock
     * @throws IllegalArgumentException if either is negative
     */
    public static WasiClock advancingNanos(long startNanos, long stepNanos) {
        return new WasiClock(Kind.ADVANCING, startNanos, stepNanos);
    }

    private static long nanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }
}
