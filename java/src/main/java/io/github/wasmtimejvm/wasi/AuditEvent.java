package io.github.wasmtimejvm.wasi;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Objects;

/**
 * An access a guest attempted, as an {@link AuditListener} receives it.
 *
 * @param time when the guest attempted it
 * @param granted whether it was allowed (refusals only, unless granted events were asked for)
 * @param area what it was about
 * @param operation the operation in WASI's words: {@code open-at}, {@code unlink-file-at},
 *     {@code rename-at}, ... for files; {@code tcp-connect}, {@code tcp-bind}, {@code udp-send}, ...
 *     for sockets, {@code outgoing-request} for HTTP
 * @param target the path as the guest sees it (the preopen's guest path joined with the path the
 *     guest gave, e.g. {@code /data/../etc/passwd}), the socket address ({@code 10.0.0.1:80}), or
 *     the method and URI of an HTTP request ({@code GET http://10.0.0.1/x})
 * @param reason why it was refused ({@code ""} when granted), e.g. {@code a path leading out of
 *     the preopen}, {@code a change in a read-only preopen}, {@code denied by the network policy}
 */
public record AuditEvent(Instant time, boolean granted, Area area, String operation, String target, String reason) {
    /** What an event is about. */
    public enum Area {
        /** A preopened directory (a host directory or a Java filesystem). */
        FILESYSTEM,
        /** A socket address. */
        SOCKET,
        /** An outgoing {@code wasi:http} request ({@link HttpPolicy}). */
        HTTP
    }

    /**
     * Checks the event.
     *
     * @param time when
     * @param granted whether allowed
     * @param area what about
     * @param operation the operation
     * @param target the path or address
     * @param reason why refused, or empty
     * @throws NullPointerException if any of them is null
     */
    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
    }

    /** Called by the native library with each event; a listener's failure is logged, never thrown at the guest. */
    @SuppressWarnings("unused")
    private static void deliver(AuditListener listener, long seconds, int nanos, boolean granted, int area,
            String operation, String target, String reason) {
        try {
            listener.onEvent(new AuditEvent(Instant.ofEpochSecond(seconds, nanos), granted, Area.values()[area],
                    operation, target, reason));
        } catch (RuntimeException | Error e) {
            System.getLogger(AuditListener.class.getName())
                    .log(Level.WARNING, "audit listener " + listener + " failed; the event is dropped", e);
        }
    }
}
