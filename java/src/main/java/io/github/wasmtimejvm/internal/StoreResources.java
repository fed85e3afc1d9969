package io.github.wasmtimejvm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guest resources a store's host side holds, so that closing the store can release them and
 * report those that were never dropped.
 */
public final class StoreResources {

    /** Where a host-held resource stands. */
    public enum Status {
        /** Held by the host. */
        LIVE,
        /** Dropped by the host. */
        DROPPED,
        /** Ownership passed to the guest. */
        TRANSFERRED,
        /** Released because the store closed. */
        RELEASED,
        /** A borrow whose host call returned. */
        BORROW_ENDED
    }

    /** The shared state of one host-held resource. */
    public static final class State {
        private final long id;
        private final Throwable allocationSite;
        private volatile Status status = Status.LIVE;

        State(long id, Throwable allocationSite) {
            this.id = id;
            this.allocationSite = allocationSite;
        }

        /** The native resource id. */
        public long id() {
            return id;
        }

        /** The current status. */
        public Status status() {
            return status;
        }

        /** Where the resource reached Java, at paranoid leak detection. */
        public Throwable allocationSite() {
            return allocationSite;
        }
    }

    private final Set<State> live = ConcurrentHashMap.newKeySet();

    private final CoreObjects core = new CoreObjects();

    /** The native store's address (set once, when the store is made). */
    private volatile long nativeAddress;

    /** Records the native store's address; called once by the {@code Store}. */
    public void attached(long address) {
        if (nativeAddress != 0) {
            throw new IllegalStateException("already attached");
        }
        nativeAddress = address;
    }

    /**
     * The native store's address even after {@code close} was requested: for host functions of a
     * call still running in the store (which closes when that call leaves it). The native object
     * lives as long as the {@code Store} object is reachable; callers keep it so.
     */
    public long addressDuringCall() {
        return nativeAddress;
    }

    /** The store's core WebAssembly objects. */
    public CoreObjects core() {
        return core;
    }

    /** Calls that may run the guest, in progress (see {@link Call}). */
    private final java.util.concurrent.atomic.AtomicInteger calls =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicBoolean released =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Host objects standing for host-defined resources the guest holds, by representation. */
    private final java.util.ArrayList<Object> hostObjects = new java.util.ArrayList<>();
    private final java.util.ArrayList<java.util.function.Consumer<Object>> hostDestructors =
            new java.util.ArrayList<>();
    /** Where each host object was handed to the guest, at paranoid leak detection (else null). */
    private final java.util.ArrayList<Throwable> hostSites = new java.util.ArrayList<>();
    private final java.util.ArrayDeque<Integer> freeReps = new java.util.ArrayDeque<>();
    private int hostLive;

    /**
     * Lends or gives {@code object} (a host resource) to the guest: returns its representation.
     * {@code destructor} runs when the guest drops it, or when the store closes.
     */
    public synchronized int hostPut(Object object, java.util.function.Consumer<Object> destructor) {
        java.util.Objects.requireNonNull(object, "object");
        int rep;
        Throwable site = Internals.registry().opened("HostResource");
        if (freeReps.isEmpty()) {
            rep = hostObjects.size();
            hostObjects.add(object);
            hostDestructors.add(destructor);
            hostSites.add(site);
        } else {
            rep = freeReps.pop();
            hostObjects.set(rep, object);
            hostDestructors.set(rep, destructor);
            hostSites.set(rep, site);
        }
        hostLive++;
        return rep;
    }

    /** The host object behind {@code rep}, which the guest still holds. */
    public synchronized Object hostGet(int rep) {
        Object o = rep >= 0 && rep < hostObjects.size() ? hostObjects.get(rep) : null;
        if (o == null) {
            throw new IllegalStateException("no host resource with representation " + rep);
        }
        return o;
    }

    /** Takes the host object behind {@code rep} back from the guest (no destructor runs). */
    public synchronized Object hostTake(int rep) {
        Object o = hostGet(rep);
        hostObjects.set(rep, null);
        hostDestructors.set(rep, null);
        hostSites.set(rep, null);
        freeReps.push(rep);
        hostLive--;
        Internals.registry().closed("HostResource");
        return o;
    }

    /** The guest dropped {@code rep}: takes the object back and runs its destructor. */
    public void hostDrop(int rep) {
        java.util.function.Consumer<Object> destructor;
        Object o;
        synchronized (this) {
            destructor = hostDestructors.get(rep);
            o = hostTake(rep);
        }
        if (destructor != null) {
            destructor.accept(o);
        }
    }

    /** How many host objects the guest holds. */
    public synchronized int hostSize() {
        return hostLive;
    }

    /** Starts tracking a resource that just reached Java. */
    public State track(long id) {
        State s = new State(id, Internals.registry().opened("Resource"));
        live.add(s);
        if (released.get()) {
            // A result of the call during which the store closed: already released with it.
            if (live.remove(s)) {
                s.status = Status.RELEASED;
                Internals.registry().closed("Resource");
            }
        }
        return s;
    }

    /**
     * Marks a resource as no longer held by the host ({@link Status#DROPPED}, {@link
     * Status#TRANSFERRED} or {@link Status#BORROW_ENDED}); returns false if it was not held any
     * more.
     */
    public boolean finish(State s, Status status) {
        if (live.remove(s)) {
            s.status = status;
            Internals.registry().closed("Resource");
            return true;
        }
        return false;
    }

    /** How many resources are held. */
    public int size() {
        return live.size();
    }

    /**
     * A call that may run the guest is in progress in this store, from {@link #call()} to {@link
     * #close()}: every path that enters the guest (export calls, the scalar fast path,
     * instantiation, commands, resource destructors) holds one, in a try-with-resources:
     *
     * <pre>{@code
     * try (StoreResources.Call running = resources.call()) {
     *     return call0(Internals.address(store), ...);
     * }
     * }</pre>
     *
     * <p>A close of the store meanwhile (from another thread, or from a host function of this
     * call) releases nothing until the last call ends, so the guest can finish with the host
     * objects it holds and the resources it returns reach the host first. Take the scope before
     * checking that the store is open.
     */
    public final class Call implements AutoCloseable {
        private Call() {}

        /** The call ended, its results read. */
        @Override
        public void close() {
            callEnded();
        }
    }

    private final Call call = new Call();

    /** Starts a call that may run the guest: see {@link Call}. */
    public Call call() {
        calls.incrementAndGet();
        return call;
    }

    /**
     * A call ended: if the store was closed meanwhile and no other call is in progress, what is
     * left is released now.
     */
    private void callEnded() {
        if (calls.decrementAndGet() == 0 && closing) {
            release();
        }
    }

    /**
     * The store is closing: releases everything now, or, when a call is in progress (on another
     * thread, or the one that closes the store from a host function), when the last one ends. The
     * native store likewise closes when the call leaves it, so the guest can finish its call with
     * the host objects it holds, and the results it returns reach the host first.
     */
    public void closeRequested() {
        closing = true;
        if (calls.get() == 0) {
            release();
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            releaseAll();
        }
    }

    /**
     * Marks every held guest resource as released by the store's close, runs the destructors of
     * host objects the guest never dropped, and reports each as a leak.
     */
    private void releaseAll() {
        core.clear();
        List<State> out = new ArrayList<>(live);
        for (State s : out) {
            if (live.remove(s)) {
                s.status = Status.RELEASED;
                Internals.registry().closed("Resource");
                Internals.registry().leaked("Resource", s.allocationSite());
            }
        }
        List<Integer> reps = new ArrayList<>();
        List<Throwable> sites = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < hostObjects.size(); i++) {
                if (hostObjects.get(i) != null) {
                    reps.add(i);
                    sites.add(hostSites.get(i));
                }
            }
        }
        for (int i = 0; i < reps.size(); i++) {
            try {
                hostDrop(reps.get(i));
            } catch (RuntimeException e) {
                System.getLogger("io.github.wasmtimejvm").log(System.Logger.Level.WARNING,
                        "a host resource destructor failed while its Store closed", e);
            }
            Internals.registry().leaked("HostResource", sites.get(i));
        }
    }
}
