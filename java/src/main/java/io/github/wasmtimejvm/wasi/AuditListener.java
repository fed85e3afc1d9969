package io.github.wasmtimejvm.wasi;

/**
 * Receives what a guest's sandbox refused, and, when asked for ({@link
 * WasiConfig.Builder#auditListener(AuditListener, boolean)}), what it granted: filesystem
 * accesses in a preopen and socket addresses under the {@link NetworkPolicy}.
 *
 * <p>Events arrive on the thread running the guest, while the guest waits: keep the listener
 * quick, and never call into the guest's {@code Store} from it. An exception the listener throws
 * is logged and dropped; it changes nothing for the guest.
 */
@FunctionalInterface
public interface AuditListener {
    /**
     * One access the guest attempted.
     *
     * @param event what, where and when
     */
    void onEvent(AuditEvent event);
}
