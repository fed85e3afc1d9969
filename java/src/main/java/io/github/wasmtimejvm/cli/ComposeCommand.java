package io.github.wasmtimejvm.cli;

import io.github.wasmtimejvm.compose.Composition;
import io.github.wasmtimejvm.compose.InstanceRef;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code plug} and {@code compose} commands: static composition, writing a new component.
 *
 * <pre>
 * wasmtime-jvm plug SOCKET --plug PLUG [--plug PLUG]... -o OUT
 *     plugs the exports of each PLUG into the imports of SOCKET (like `wac plug`); OUT exports
 *     what SOCKET exports, and imports what no plug satisfies
 *
 * wasmtime-jvm compose --dep NAME=FILE... [--wire TO#IMPORT=FROM[#EXPORT]]...
 *                      --export FROM[#EXPORT][=AS]... -o OUT
 *     --dep     adds the component FILE as package NAME and instantiates it once, as the
 *               instance NAME
 *     --wire    satisfies the import IMPORT of instance TO with the export EXPORT of instance
 *               FROM, or with the whole instance FROM when #EXPORT is left out
 *     --export  exports the export EXPORT of instance FROM (the whole instance when #EXPORT is
 *               left out) from the composition, as AS (by default EXPORT, which is then needed)
 *     imports nobody wires become imports of OUT
 * </pre>
 *
 * <p>Files are component binaries or WAT text. Names are component import and export names,
 * such as {@code docs:calc/adder@0.1.0}, which never contain {@code #} or {@code =}. For
 * example:
 *
 * <pre>
 * wasmtime-jvm plug calc.wasm --plug adder.wasm -o app.wasm
 * wasmtime-jvm compose --dep adder=adder.wasm --dep calc=calc.wasm \
 *     --wire 'calc#docs:calc/adder@0.1.0=adder#docs:calc/adder@0.1.0' \
 *     --export 'calc#docs:calc/calc@0.1.0' -o app.wasm
 * </pre>
 *
 * <p>On success each command prints one line ({@code wrote app.wasm (1234 bytes)}) and returns
 * 0. Bad usage throws {@link Main.UsageException} (exit 2); a composition error throws {@link
 * io.github.wasmtimejvm.compose.ComposeException} (exit 1), whose message names the import or
 * export that does not match and both types.
 */
final class ComposeCommand {

    private ComposeCommand() {}

    /**
     * Runs {@code plug SOCKET --plug PLUG... -o OUT}.
     *
     * @param args the arguments after {@code plug}
     * @param out where the one-line summary goes
     * @return the exit status (0)
     */
    static int plug(List<String> args, PrintStream out) {
        String socket = null;
        String output = null;
        List<String> plugs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            Option o = Option.of(a);
            switch (o.name()) {
                case "--plug" -> plugs.add(o.value(args, i));
                case "-o", "--output" -> output = o.value(args, i);
                default -> {
                    if (a.startsWith("-")) {
                        throw new Main.UsageException("unknown option `" + a + "` for plug");
                    }
                    if (socket != null) {
                        throw new Main.UsageException("plug takes one socket, but got `" + socket
                                + "` and `" + a + "` (give plugs with --plug)");
                    }
                    socket = a;
                    continue;
                }
            }
            i += o.consumed();
        }
        if (socket == null) {
            throw new Main.UsageException("plug needs a socket component");
        }
        if (plugs.isEmpty()) {
            throw new Main.UsageException("plug needs at least one --plug component");
        }
        if (output == null) {
            throw new Main.UsageException("plug needs an output file (-o OUT)");
        }
        List<byte[]> plugBytes = new ArrayList<>();
        for (String p : plugs) {
            plugBytes.add(read(p));
        }
        return write(Composition.plug(read(socket), plugBytes), output, out);
    }

    /**
     * Runs {@code compose --dep NAME=FILE... --wire ... --export ... -o OUT}.
     *
     * @param args the arguments after {@code compose}
     * @param out where the one-line summary goes
     * @return the exit status (0)
     */
    static int compose(List<String> args, PrintStream out) {
        Composition c = Composition.builder();
        Map<String, InstanceRef> instances = new LinkedHashMap<>();
        List<String> wires = new ArrayList<>();
        List<String> exports = new ArrayList<>();
        String output = null;
        for (int i = 0; i < args.size(); i++) {
            Option o = Option.of(args.get(i));
            if (!List.of("--dep", "--wire", "--export", "-o", "--output").contains(o.name())) {
                throw new Main.UsageException("unknown argument `" + args.get(i) + "` for compose");
            }
            String value = o.value(args, i);
            i += o.consumed();
            switch (o.name()) {
                case "--dep" -> {
                    String[] nameFile = split(value, '=', "--dep", "NAME=FILE");
                    if (instances.containsKey(nameFile[0])) {
                        throw new Main.UsageException("--dep `" + nameFile[0] + "` is given twice");
                    }
                    byte[] bytes = read(nameFile[1]);
                    instances.put(nameFile[0],
                            c.instantiate(c.addPackage(nameFile[0], bytes), nameFile[0]));
                }
                case "--wire" -> wires.add(value);
                case "--export" -> exports.add(value);
                default -> output = value;
            }
        }
        if (instances.isEmpty()) {
            throw new Main.UsageException("compose needs at least one --dep NAME=FILE");
        }
        if (exports.isEmpty()) {
            throw new Main.UsageException("compose needs at least one --export");
        }
        if (output == null) {
            throw new Main.UsageException("compose needs an output file (-o OUT)");
        }
        for (String w : wires) {
            String[] toFrom = split(w, '=', "--wire", "TO#IMPORT=FROM[#EXPORT]");
            String[] toImport = split(toFrom[0], '#', "--wire", "TO#IMPORT=FROM[#EXPORT]");
            InstanceRef to = instance(instances, toImport[0], "--wire");
            int hash = toFrom[1].indexOf('#');
            if (hash < 0) {
                c.connect(instance(instances, toFrom[1], "--wire"), to, toImport[1]);
            } else {
                c.connect(instance(instances, toFrom[1].substring(0, hash), "--wire"),
                        toFrom[1].substring(hash + 1), to, toImport[1]);
            }
        }
        for (String e : exports) {
            int eq = e.indexOf('=');
            String source = eq < 0 ? e : e.substring(0, eq);
            String as = eq < 0 ? null : e.substring(eq + 1);
            int hash = source.indexOf('#');
            InstanceRef from = instance(instances, hash < 0 ? source : source.substring(0, hash),
                    "--export");
            String item = hash < 0 ? null : source.substring(hash + 1);
            if (item == null) {
                if (as == null || as.isEmpty()) {
                    throw new Main.UsageException("--export `" + e
                            + "` exports a whole instance, which needs a name: FROM=AS");
                }
                c.exportInstance(from, as);
            } else {
                c.export(from, item, as == null ? item : as);
            }
        }
        return write(c.encode(), output, out);
    }

    /** An option, with its value either inline ({@code --dep=a=b.wasm}) or the next argument. */
    record Option(String name, String inlineValue) {
        static Option of(String arg) {
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                return new Option(arg.substring(0, eq), arg.substring(eq + 1));
            }
            return new Option(arg, null);
        }

        /** The value of the option at {@code args[index]}. */
        String value(List<String> args, int index) {
            if (inlineValue != null) {
                return inlineValue;
            }
            if (index + 1 >= args.size()) {
                throw new Main.UsageException(name + " needs a value");
            }
            return args.get(index + 1);
        }

        /** How many arguments after the option its value took. */
        int consumed() {
            return inlineValue != null ? 0 : 1;
        }
    }

    private static String[] split(String value, char at, String option, String form) {
        int i = value.indexOf(at);
        if (i <= 0 || i == value.length() - 1) {
            throw new Main.UsageException(option + " `" + value + "` is not " + form);
        }
        return new String[] {value.substring(0, i), value.substring(i + 1)};
    }

    private static InstanceRef instance(Map<String, InstanceRef> instances, String name,
            String option) {
        InstanceRef ref = instances.get(name);
        if (ref == null) {
            throw new Main.UsageException(option + " names `" + name
                    + "`, which no --dep gives; the deps are: " + String.join(", ",
                            instances.keySet()));
        }
        return ref;
    }

    static byte[] read(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static int write(byte[] bytes, String file, PrintStream out) {
        try {
            Files.write(Path.of(file), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        out.println("wrote " + file + " (" + bytes.length + " bytes)");
        return 0;
    }
}
