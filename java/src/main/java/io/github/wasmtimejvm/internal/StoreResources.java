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

    /** The shared state of one host-held resource. */
    public static final class State {
        /** Held by the host. */
        public static final int LIVE = 0;
        /** Dropped by the host. */
        public static final int DROPPED = 1;
        /** Ownership passed to the guest. */
        public static final int TRANSFERRED = 2;
        /** Released because the store closed. */
        public static final int RELEASED = 3;
        /** A borrow whose host call returned. */
        public static final int BORROW_ENDED = 4;

        private final long id;
        private final Throwable allocationSite;
        private volatile int status = LIVE;

        State(long id, Throwable allocationSite) {
            this.id = id;
            this.allocationSite = allocationSite;
        }

        /** The native resource id. */
        public long id() {
            return id;
        }

        /** The current status. */
        public int status() {
            return status;
        }

        /** Where the resource reached Java, at paranoid leak detection. */
        public Throwable allocationSite() {
            return allocationSite;
        }
    }

    private final Set<State> live = ConcurrentHashMap.newKeySet();

    /** Starts tracking a resource that just reached Java. */
    public State track(long id) {
        State s = new State(id, Internals.registry().opened("Resource"));
        live.add(s);
        return s;
    }

    /**
     * Marks a resource as no longer held by the host ({@link State#DROPPED} or {@link
     * State#TRANSFERRED}); returns false if it was not held any more.
     */
    public boolean finish(State s, int status) {
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

    /** Marks every held resource as released by the store's close and reports each as a leak. */
    public void releaseAll() {
        List<State> out = new ArrayList<>(live);
        for (State s : out) {
            if (live.remove(s)) {
                s.status = State.RELEASED;
                Internals.registry().closed("Resource");
                Internals.registry().leaked("Resource", s.allocationSite());
            }
        }
    }
}
