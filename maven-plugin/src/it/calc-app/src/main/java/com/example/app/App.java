package com.example.app;

import com.example.app.gen.CalcAppImports;
import com.example.app.gen.Ops;
import java.util.EnumSet;

/** Uses the generated bindings: an implementation of the exported interface and a call. */
public final class App implements Ops {
    private final CalcAppImports host;

    /**
     * An implementation that logs through the imports.
     *
     * @param host the world's root imports
     */
    public App(CalcAppImports host) {
        this.host = host;
    }

    @Override
    public int apply(Op o, Operands args, java.util.Set<Options> opts) throws FailureException {
        if (opts.contains(Options.VERBOSE)) {
            host.log("apply " + o);
        }
        if (o instanceof Op.Add) {
            long sum = (long) args.left() + args.right();
            if (opts.contains(Options.CHECKED) && sum != (int) sum) {
                throw new FailureException(Failure.OVERFLOW);
            }
            return (int) sum;
        } else if (o instanceof Op.Scale s) {
            return args.left() * s.value();
        }
        return -args.left();
    }

    @Override
    public int divide(int a, int b) throws io.github.wasmtimejvm.component.WitErrorException {
        if (b == 0) {
            throw new io.github.wasmtimejvm.component.WitErrorException("division by zero");
        }
        return a / b;
    }

    /**
     * Calls {@code apply} once.
     *
     * @param args unused
     * @throws Exception if the call fails
     */
    public static void main(String[] args) throws Exception {
        App app = new App(System.out::println);
        System.out.println(app.apply(new Op.Add(), new Operands(1, 2), EnumSet.of(Options.CHECKED)));
    }
}
