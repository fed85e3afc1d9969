package io.github.wasmtimejvm.bindgen;

import io.github.wasmtimejvm.bindgen.WitModel.AliasK;
import io.github.wasmtimejvm.bindgen.WitModel.EnumK;
import io.github.wasmtimejvm.bindgen.WitModel.Field;
import io.github.wasmtimejvm.bindgen.WitModel.FixedListK;
import io.github.wasmtimejvm.bindgen.WitModel.FlagsK;
import io.github.wasmtimejvm.bindgen.WitModel.FutureK;
import io.github.wasmtimejvm.bindgen.WitModel.Function;
import io.github.wasmtimejvm.bindgen.WitModel.HandleK;
import io.github.wasmtimejvm.bindgen.WitModel.Id;
import io.github.wasmtimejvm.bindgen.WitModel.Iface;
import io.github.wasmtimejvm.bindgen.WitModel.Kind;
import io.github.wasmtimejvm.bindgen.WitModel.ListK;
import io.github.wasmtimejvm.bindgen.WitModel.MapK;
import io.github.wasmtimejvm.bindgen.WitModel.Named;
import io.github.wasmtimejvm.bindgen.WitModel.OptionK;
import io.github.wasmtimejvm.bindgen.WitModel.Param;
import io.github.wasmtimejvm.bindgen.WitModel.Prim;
import io.github.wasmtimejvm.bindgen.WitModel.RecordK;
import io.github.wasmtimejvm.bindgen.WitModel.ResourceK;
import io.github.wasmtimejvm.bindgen.WitModel.ResultK;
import io.github.wasmtimejvm.bindgen.WitModel.StreamK;
import io.github.wasmtimejvm.bindgen.WitModel.TupleK;
import io.github.wasmtimejvm.bindgen.WitModel.TypeDef;
import io.github.wasmtimejvm.bindgen.WitModel.TypeRef;
import io.github.wasmtimejvm.bindgen.WitModel.VariantK;
import io.github.wasmtimejvm.bindgen.WitModel.World;
import io.github.wasmtimejvm.bindgen.WitModel.WorldItem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a {@link WitModel} into Java sources. Names are decided first, for every file, so that
 * every reference is known before any file is written; references to other classes are written
 * as placeholders and resolved per file at the end (a simple name with an import where that is
 * unambiguous, the qualified name where a nested type or another class would shadow it).
 */
final class Generator {
    private static final char REF_START = '\u0001';
    private static final char REF_END = '\u0002';
    private static final String COMPONENT = "io.github.wasmtimejvm.component.";

    private final WitModel model;
    private final String basePackage;
    private final World world;
    private final String worldFullName;

    /** A generated top-level interface: a WIT interface, or a world's root exports or imports. */
    private static final class Top {
        final String javaPackage;
        final String simple;
        final String witName; // full interface name, null for the world's own interfaces
        final String docs;
        final Iface iface; // null for the world's interfaces
        final List<Function> functions = new ArrayList<>();
        final List<Integer> types = new ArrayList<>(); // nominal type definitions, in order
        final Names.Scope nested = new Names.Scope();
        final Set<String> declared = new HashSet<>();

        Top(String javaPackage, String simple, String witName, String docs, Iface iface) {
            this.javaPackage = javaPackage;
            this.simple = simple;
            this.witName = witName;
            this.docs = docs;
            this.iface = iface;
            nested.reserve(simple);
            declared.add(simple);
        }

        String fqcn() {
            return javaPackage + "." + simple;
        }
    }

    /** Where a nominal type lives: its top-level interface and its nested simple name. */
    private record Loc(Top top, String simple) {}

    /** What simple names shadow others where a type is written (the case records of a variant). */
    private record Scope(Top top, Set<String> inner) {}

    private final Map<Integer, Top> ifaceTops = new LinkedHashMap<>();
    private Top worldExports;
    private Top worldImports;
    private final Map<Integer, Loc> locs = new HashMap<>();
    private final Map<Integer, String> exceptions = new HashMap<>(); // nominal type -> exception
    private final Set<Integer> errorTypes = new HashSet<>();
    private final TreeSet<Integer> tupleArities = new TreeSet<>();
    private final Map<String, Set<String>> packageClasses = new HashMap<>();

    Generator(WitModel model, String basePackage) {
        this.model = model;
        this.basePackage = basePackage;
        this.world = model.world();
        String pkg = world.pkg() >= 0 ? model.packages().get(world.pkg()).name() : "";
        this.worldFullName = fullName(pkg, world.name());
    }

    /** Every file, by path relative to a source root, sorted. */
    Map<String, String> run() {
        collect();
        Map<String, String> files = new TreeMap<>();
        List<Top> tops = new ArrayList<>(ifaceTops.values());
        if (worldExports != null) {
            tops.add(worldExports);
        }
        if (worldImports != null) {
            tops.add(worldImports);
        }
        for (Top t : tops) {
            files.put(path(t.javaPackage, t.simple), finish(t.javaPackage, t.declared, topFile(t)));
        }
        for (int n : tupleArities) {
            String simple = tupleName(n);
            Set<String> declared = new HashSet<>(Set.of(simple));
            for (int i = 0; i < n; i++) {
                declared.add("T" + i);
            }
            files.put(path(basePackage, simple), finish(basePackage, declared, tupleFile(n)));
        }
        return files;
    }

    // ---------------------------------------------------------------- collecting and naming

    private void collect() {
        // The interfaces of the world, imports first, then exports, then any interface a type
        // refers to that the world does not list.
        LinkedHashMap<Integer, String> keys = new LinkedHashMap<>();
        List<WorldItem> rootImports = new ArrayList<>();
        List<WorldItem> rootExports = new ArrayList<>();
        List<Integer> worldTypes = new ArrayList<>();
        for (WorldItem item : world.imports()) {
            classify(item, keys, rootImports, worldTypes);
        }
        for (WorldItem item : world.exports()) {
            classify(item, keys, rootExports, worldTypes);
        }
        Deque<TypeRef> work = new ArrayDeque<>();
        Set<Integer> seen = new HashSet<>();
        Set<Integer> walkedIfaces = new HashSet<>();
        List<Integer> order = new ArrayList<>(keys.keySet());
        for (WorldItem f : rootImports) {
            pushFunction(f.function(), work);
        }
        for (WorldItem f : rootExports) {
            pushFunction(f.function(), work);
        }
        for (int t : worldTypes) {
            work.add(new Id(t));
        }
        int next = 0;
        while (true) {
            while (next < order.size()) {
                int i = order.get(next++);
                if (walkedIfaces.add(i)) {
                    Iface iface = model.interfaces().get(i);
                    iface.functions().forEach(f -> pushFunction(f, work));
                    iface.types().values().forEach(t -> work.add(new Id(t)));
                }
            }
            if (work.isEmpty()) {
                break;
            }
            TypeRef r = work.poll();
            if (!(r instanceof Id id) || !seen.add(id.index())) {
                continue;
            }
            TypeDef def = model.types().get(id.index());
            if (def.name() != null && !def.ownedByWorld() && def.owner() >= 0
                    && !keys.containsKey(def.owner())) {
                keys.put(def.owner(), null);
                order.add(def.owner());
            }
            pushKind(def.kind(), work);
        }

        // Names: packages of other WIT packages under the base package; interfaces first.
        Map<String, Set<String>> versions = new HashMap<>();
        for (int i : keys.keySet()) {
            Iface iface = model.interfaces().get(i);
            if (iface.pkg() >= 0 && iface.pkg() != world.pkg()) {
                String[] nv = splitVersion(model.packages().get(iface.pkg()).name());
                versions.computeIfAbsent(nv[0], k -> new TreeSet<>()).add(nv[1]);
            }
        }
        Map<String, Names.Scope> classScopes = new HashMap<>();
        Names.Scope base = classScopes.computeIfAbsent(basePackage, k -> new Names.Scope());
        for (int n : tupleArities) {
            base.reserve(tupleName(n));
        }
        for (Map.Entry<Integer, String> e : keys.entrySet()) {
            Iface iface = model.interfaces().get(e.getKey());
            String javaPackage = basePackage;
            String witName;
            String simple;
            if (iface.name() != null && iface.pkg() >= 0) {
                String pkgName = model.packages().get(iface.pkg()).name();
                witName = fullName(pkgName, iface.name());
                if (iface.pkg() != world.pkg()) {
                    String[] nv = splitVersion(pkgName);
                    String[] nsName = nv[0].split(":", 2);
                    javaPackage = basePackage + "." + Names.packageSegment(nsName[0]) + "."
                            + Names.packageSegment(nsName.length > 1 ? nsName[1] : nsName[0]);
                    if (versions.get(nv[0]).size() > 1) {
                        javaPackage += "." + Names.packageSegment("v" + nv[1].replace('.', '_'));
                    }
                }
                simple = Names.type(iface.name());
            } else {
                witName = e.getValue() != null ? e.getValue() : "interface-" + e.getKey();
                simple = Names.type(witName);
            }
            simple = classScopes.computeIfAbsent(javaPackage, k -> new Names.Scope()).unique(simple);
            Top top = new Top(javaPackage, simple, witName, iface.docs(), iface);
            ifaceTops.put(e.getKey(), top);
        }
        String worldSimple = Names.type(world.name());
        boolean worldHasTypes = worldTypes.stream().anyMatch(t -> isNominal(model.types().get(t)));
        if (!rootExports.isEmpty() || worldHasTypes) {
            String s = base.isTaken(worldSimple) ? base.unique(worldSimple + "World") : base.unique(worldSimple);
            worldExports = new Top(basePackage, s, null, world.docs(), null);
        }
        if (!rootImports.isEmpty()) {
            String s = worldSimple + "Imports";
            s = base.isTaken(s) ? base.unique(worldSimple + "WorldImports") : base.unique(s);
            worldImports = new Top(basePackage, s, null, world.docs(), null);
        }
        for (Top t : ifaceTops.values()) {
            packageClasses.computeIfAbsent(t.javaPackage, k -> new HashSet<>()).add(t.simple);
        }
        for (Top t : new Top[] {worldExports, worldImports}) {
            if (t != null) {
                packageClasses.computeIfAbsent(t.javaPackage, k -> new HashSet<>()).add(t.simple);
            }
        }
        for (int n : tupleArities) {
            packageClasses.computeIfAbsent(basePackage, k -> new HashSet<>()).add(tupleName(n));
        }

        // Functions and nominal types of each top-level interface.
        for (Map.Entry<Integer, Top> e : ifaceTops.entrySet()) {
            Top top = e.getValue();
            top.functions.addAll(top.iface.functions());
            for (int t : top.iface.types().values()) {
                if (isNominal(model.types().get(t))) {
                    top.types.add(t);
                }
            }
        }
        for (WorldItem f : rootExports) {
            worldExports.functions.add(f.function());
        }
        if (worldImports != null) {
            for (WorldItem f : rootImports) {
                worldImports.functions.add(f.function());
            }
        }
        for (int t : worldTypes) {
            if (isNominal(model.types().get(t))) {
                worldExports.types.add(t);
            }
        }

        // Which nominal types are the error of a function's returned result (they get an
        // exception class next to them).
        for (Top top : allTops()) {
            for (Function f : top.functions) {
                ResultK r = resultOf(f);
                if (r != null && r.err() != null && resolve(r.err()) instanceof Id id) {
                    int nominal = nominalOf(id.index());
                    if (nominal >= 0) {
                        errorTypes.add(nominal);
                    }
                }
            }
        }

        // Nested names, in definition order; a resource's [method]s go inside it.
        for (Top top : allTops()) {
            for (int t : top.types) {
                TypeDef def = model.types().get(t);
                String simple = top.nested.unique(Names.type(def.name()));
                top.declared.add(simple);
                locs.put(t, new Loc(top, simple));
                if (errorTypes.contains(t)) {
                    String ex = top.nested.unique(simple + "Exception");
                    top.declared.add(ex);
                    exceptions.put(t, ex);
                }
            }
        }
        for (Top top : allTops()) {
            for (int t : top.types) {
                if (model.types().get(t).kind() instanceof VariantK v) {
                    for (String c : caseNames(t, v).values()) {
                        top.declared.add(c);
                    }
                }
            }
        }
    }

    private void classify(
            WorldItem item, Map<Integer, String> keys, List<WorldItem> functions, List<Integer> types) {
        if (item.iface() >= 0) {
            keys.putIfAbsent(item.iface(), item.key().startsWith("interface-") ? null : item.key());
        } else if (item.function() != null) {
            functions.add(item);
        } else if (item.type() >= 0) {
            types.add(item.type());
        }
    }

    private List<Top> allTops() {
        List<Top> tops = new ArrayList<>(ifaceTops.values());
        if (worldExports != null) {
            tops.add(worldExports);
        }
        if (worldImports != null) {
            tops.add(worldImports);
        }
        return tops;
    }

    private void pushFunction(Function f, Deque<TypeRef> work) {
        for (Param p : f.params()) {
            work.add(p.type());
        }
        if (f.result() != null) {
            work.add(f.result());
        }
    }

    private void pushKind(Kind kind, Deque<TypeRef> work) {
        if (kind instanceof RecordK r) {
            r.fields().forEach(f -> work.add(f.type()));
        } else if (kind instanceof VariantK v) {
            v.cases().stream().filter(c -> c.type() != null).forEach(c -> work.add(c.type()));
        } else if (kind instanceof HandleK h) {
            work.add(new Id(h.resource()));
        } else if (kind instanceof TupleK t) {
            tupleArities.add(t.types().size());
            work.addAll(t.types());
        } else if (kind instanceof OptionK o) {
            work.add(o.type());
        } else if (kind instanceof ResultK r) {
            if (r.ok() != null) {
                work.add(r.ok());
            }
            if (r.err() != null) {
                work.add(r.err());
            }
        } else if (kind instanceof ListK l) {
            work.add(l.type());
        } else if (kind instanceof MapK m) {
            work.add(m.key());
            work.add(m.value());
        } else if (kind instanceof FixedListK l) {
            work.add(l.type());
        } else if (kind instanceof FutureK f && f.type() != null) {
            work.add(f.type());
        } else if (kind instanceof StreamK st && st.type() != null) {
            work.add(st.type());
        } else if (kind instanceof AliasK a) {
            work.add(a.type());
        }
    }

    private static boolean isNominal(TypeDef def) {
        return def.name() != null
                && (def.kind() instanceof RecordK
                        || def.kind() instanceof VariantK
                        || def.kind() instanceof EnumK
                        || def.kind() instanceof FlagsK
                        || def.kind() instanceof ResourceK);
    }

    /** Follows type aliases (and {@code use}s) to a primitive or a non-alias definition. */
    private TypeRef resolve(TypeRef t) {
        TypeRef r = t;
        for (int guard = 0; guard < 1000 && r instanceof Id id; guard++) {
            if (model.types().get(id.index()).kind() instanceof AliasK a) {
                r = a.type();
            } else {
                return r;
            }
        }
        return r;
    }

    /** The nominal type a definition stands for (a handle's resource), or -1 for none. */
    private int nominalOf(int index) {
        TypeDef def = model.types().get(index);
        if (def.kind() instanceof HandleK h && resolve(new Id(h.resource())) instanceof Id r) {
            def = model.types().get(r.index());
        }
        boolean classLike = def.kind() instanceof RecordK || def.kind() instanceof VariantK
                || def.kind() instanceof EnumK || def.kind() instanceof ResourceK;
        return classLike && def.name() != null ? def.index() : -1;
    }

    /** The result a function returns, if it returns one. */
    private ResultK resultOf(Function f) {
        if (f.result() != null && resolve(f.result()) instanceof Id id
                && model.types().get(id.index()).kind() instanceof ResultK r) {
            return r;
        }
        return null;
    }

    private Map<String, String> caseNames(int typeIndex, VariantK v) {
        Loc loc = locs.get(typeIndex);
        Names.Scope scope = new Names.Scope();
        scope.reserve(loc.simple());
        scope.reserve(loc.top().simple);
        Map<String, String> out = new LinkedHashMap<>();
        for (Field c : v.cases()) {
            out.put(c.name(), scope.unique(Names.type(c.name())));
        }
        return out;
    }

    // ---------------------------------------------------------------- types

    private static String ref(String fqcn) {
        return REF_START + fqcn + REF_END;
    }

    private String javaType(TypeRef t, Scope scope, boolean boxed) {
        if (t instanceof Prim p) {
            return switch (p.name()) {
                case "bool" -> boxed ? ref("java.lang.Boolean") : "boolean";
                case "s8", "u8" -> boxed ? ref("java.lang.Byte") : "byte";
                case "s16", "u16" -> boxed ? ref("java.lang.Short") : "short";
                case "s32", "u32", "char" -> boxed ? ref("java.lang.Integer") : "int";
                case "s64", "u64" -> boxed ? ref("java.lang.Long") : "long";
                case "f32" -> boxed ? ref("java.lang.Float") : "float";
                case "f64" -> boxed ? ref("java.lang.Double") : "double";
                case "string" -> ref("java.lang.String");
                default -> ref("java.lang.Object");
            };
        }
        int index = ((Id) t).index();
        Kind kind = model.types().get(index).kind();
        if (kind instanceof RecordK || kind instanceof VariantK || kind instanceof EnumK
                || kind instanceof ResourceK) {
            return nominal(index, scope);
        }
        if (kind instanceof FlagsK) {
            return ref("java.util.Set") + "<" + nominal(index, scope) + ">";
        }
        if (kind instanceof HandleK h) {
            TypeRef res = resolve(new Id(h.resource()));
            return res instanceof Id rid && locs.containsKey(rid.index())
                    ? nominal(rid.index(), scope)
                    : ref(COMPONENT + "Resource");
        }
        if (kind instanceof TupleK tu) {
            StringBuilder sb = new StringBuilder(ref(basePackage + "." + tupleName(tu.types().size())));
            sb.append('<');
            for (int i = 0; i < tu.types().size(); i++) {
                sb.append(i > 0 ? ", " : "").append(javaType(tu.types().get(i), scope, true));
            }
            return sb.append('>').toString();
        }
        if (kind instanceof OptionK o) {
            return ref("java.util.Optional") + "<" + javaType(o.type(), scope, true) + ">";
        }
        if (kind instanceof ResultK r) {
            return ref(COMPONENT + "Result") + "<" + side(r.ok(), scope) + ", " + side(r.err(), scope) + ">";
        }
        if (kind instanceof ListK l) {
            return list(l.type(), scope);
        }
        if (kind instanceof FixedListK l) {
            return list(l.type(), scope);
        }
        if (kind instanceof MapK m) {
            return ref("java.util.Map") + "<" + javaType(m.key(), scope, true) + ", "
                    + javaType(m.value(), scope, true) + ">";
        }
        if (kind instanceof AliasK a) {
            return javaType(a.type(), scope, boxed);
        }
        return ref("java.lang.Object"); // future, stream, unknown
    }

    private String side(TypeRef t, Scope scope) {
        return t == null ? ref("java.lang.Void") : javaType(t, scope, true);
    }

    private String list(TypeRef element, Scope scope) {
        if (resolve(element) instanceof Prim p && p.name().equals("u8")) {
            return "byte[]";
        }
        return ref("java.util.List") + "<" + javaType(element, scope, true) + ">";
    }

    private String nominal(int index, Scope scope) {
        Loc loc = locs.get(index);
        if (loc == null) {
            return ref("java.lang.Object");
        }
        return nested(loc.top(), loc.simple(), scope);
    }

    private String nested(Top top, String simple, Scope scope) {
        if (top == scope.top()) {
            return scope.inner().contains(simple) ? top.simple + "." + simple : simple;
        }
        return ref(top.fqcn()) + "." + simple;
    }

    private static String tupleName(int n) {
        return "Tuple" + n;
    }

    // ---------------------------------------------------------------- files

    private String topFile(Top top) {
        StringBuilder sb = new StringBuilder();
        Scope scope = new Scope(top, Set.of());
        String fallback = top.witName != null
                ? "The WIT interface {@code " + top.witName + "}."
                : top == worldImports
                        ? "The functions the world {@code " + worldFullName + "} imports."
                        : "The functions the world {@code " + worldFullName + "} exports.";
        List<String> extra = new ArrayList<>();
        if (top.witName != null && top.docs != null) {
            extra.add("<p>WIT interface {@code " + top.witName + "}.");
        } else if (top.witName == null && top.docs != null) {
            extra.add("<p>The functions the world {@code " + worldFullName + "} "
                    + (top == worldImports ? "imports" : "exports") + " at its root.");
        }
        javadoc(sb, "", top.docs, fallback, extra);
        if (top.witName != null) {
            sb.append('@').append(ref(COMPONENT + "WitInterface")).append("(\"")
                    .append(literal(top.witName)).append("\")\n");
        }
        sb.append("public interface ").append(top.simple).append(" {\n");
        boolean first = true;
        for (int t : top.types) {
            first = separator(sb, first);
            typeDecl(sb, top, t, scope);
            String ex = exceptions.get(t);
            if (ex != null) {
                sb.append('\n');
                exceptionDecl(sb, top, t, ex, scope);
            }
        }
        Names.Scope members = new Names.Scope();
        for (Function f : top.functions) {
            if (f.kind().endsWith("method")) {
                continue; // inside its resource
            }
            first = separator(sb, first);
            method(sb, "    ", f, scope, members);
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static boolean separator(StringBuilder sb, boolean first) {
        if (!first) {
            sb.append('\n');
        }
        return false;
    }

    private void typeDecl(StringBuilder sb, Top top, int index, Scope scope) {
        TypeDef def = model.types().get(index);
        String simple = locs.get(index).simple();
        String ind = "    ";
        Kind kind = def.kind();
        if (kind instanceof RecordK r) {
                Names.Scope comps = new Names.Scope();
                List<String> names = new ArrayList<>();
                List<String> params = new ArrayList<>();
                for (Field f : r.fields()) {
                    String n = comps.unique(safeMember(f.name()));
                    names.add(n);
                    params.add("@param " + n + " " + docOr(f.docs(), "the {@code " + f.name() + "} field"));
                }
                javadoc(sb, ind, def.docs(), "The WIT record {@code " + def.name() + "}.", params);
                witNameIfNeeded(sb, ind, def.name(), Names.fromMember(simple));
                sb.append(ind).append("record ").append(simple).append('(');
                for (int i = 0; i < r.fields().size(); i++) {
                    Field f = r.fields().get(i);
                    sb.append(i > 0 ? ", " : "");
                    if (!Names.fromMember(names.get(i)).equals(f.name())) {
                        sb.append('@').append(ref(COMPONENT + "WitName")).append("(\"")
                                .append(literal(f.name())).append("\") ");
                    }
                    sb.append(javaType(f.type(), scope, false)).append(' ').append(names.get(i));
                }
                sb.append(") {}\n");
        } else if (kind instanceof VariantK v) {
                javadoc(sb, ind, def.docs(), "The WIT variant {@code " + def.name() + "}: one record per case.", List.of());
                witNameIfNeeded(sb, ind, def.name(), Names.fromMember(simple));
                sb.append(ind).append("sealed interface ").append(simple).append(" {\n");
                Map<String, String> cases = caseNames(index, v);
                Scope inner = new Scope(top, new HashSet<>(cases.values()));
                boolean first = true;
                for (Field c : v.cases()) {
                    first = separator(sb, first);
                    String cn = cases.get(c.name());
                    String in2 = ind + "    ";
                    List<String> params = c.type() == null
                            ? List.of()
                            : List.of("@param value the case's payload");
                    javadoc(sb, in2, c.docs(), "The case {@code " + c.name() + "}.", params);
                    witNameIfNeeded(sb, in2, c.name(), Names.fromMember(cn));
                    sb.append(in2).append("record ").append(cn).append('(');
                    if (c.type() != null) {
                        sb.append(javaType(c.type(), inner, false)).append(" value");
                    }
                    sb.append(") implements ").append(simple).append(" {}\n");
                }
                sb.append(ind).append("}\n");
        } else if (kind instanceof EnumK e) {
            enumDecl(sb, ind, simple, def, e.cases(), "The WIT enum {@code " + def.name() + "}.");
        } else if (kind instanceof FlagsK f) {
            enumDecl(sb, ind, simple, def, f.flags(),
                    "The flags of the WIT {@code flags " + def.name() + "}; a value is a {@code Set} of them.");
        } else if (kind instanceof ResourceK) {
            resourceDecl(sb, index, simple, def, scope);
        } else {
            throw new IllegalStateException("not a nominal type: " + kind);
        }
    }

    private void enumDecl(StringBuilder sb, String ind, String simple, TypeDef def, List<Named> cases, String fallback) {
        javadoc(sb, ind, def.docs(), fallback, List.of());
        witNameIfNeeded(sb, ind, def.name(), Names.fromMember(simple));
        sb.append(ind).append("enum ").append(simple).append(" {\n");
        Names.Scope scope = new Names.Scope();
        String in2 = ind + "    ";
        for (int i = 0; i < cases.size(); i++) {
            Named c = cases.get(i);
            String cn = scope.unique(Names.constant(c.name()));
            if (i > 0) {
                sb.append('\n');
            }
            javadoc(sb, in2, c.docs(), "The case {@code " + c.name() + "}.", List.of());
            if (!Names.fromConstant(cn).equals(c.name())) {
                sb.append(in2).append('@').append(ref(COMPONENT + "WitName")).append("(\"")
                        .append(literal(c.name())).append("\")\n");
            }
            sb.append(in2).append(cn).append(i + 1 < cases.size() ? ",\n" : "\n");
        }
        sb.append(ind).append("}\n");
    }

    private void resourceDecl(StringBuilder sb, int index, String simple, TypeDef def, Scope scope) {
        String ind = "    ";
        javadoc(sb, ind, def.docs(), "The WIT resource {@code " + def.name() + "}.",
                List.of("<p>Closing it drops the handle."));
        witNameIfNeeded(sb, ind, def.name(), Names.fromMember(simple));
        sb.append(ind).append("interface ").append(simple).append(" extends ")
                .append(ref("java.lang.AutoCloseable")).append(" {\n");
        Names.Scope members = new Names.Scope();
        members.reserve("close");
        for (Top t : allTops()) {
            for (Function f : t.functions) {
                if (f.kind().endsWith("method") && f.resource() >= 0
                        && resolve(new Id(f.resource())) instanceof Id r && r.index() == index) {
                    method(sb, ind + "    ", f, scope, members);
                    sb.append('\n');
                }
            }
        }
        sb.append(ind).append("    /** Drops the handle to this resource. */\n");
        sb.append(ind).append("    @").append(ref("java.lang.Override")).append('\n');
        sb.append(ind).append("    void close();\n");
        sb.append(ind).append("}\n");
    }

    private void exceptionDecl(StringBuilder sb, Top top, int index, String ex, Scope scope) {
        String ind = "    ";
        TypeDef def = model.types().get(index);
        String type = nominal(index, scope);
        javadoc(sb, ind, null, "Thrown when a function returns {@code err} of {@code " + def.name() + "}.",
                List.of());
        sb.append(ind).append("final class ").append(ex).append(" extends ")
                .append(ref(COMPONENT + "WitErrorException")).append(" {\n");
        sb.append(ind).append("    private static final long serialVersionUID = 1L;\n\n");
        sb.append(ind).append("    /**\n");
        sb.append(ind).append("     * Creates the exception.\n");
        sb.append(ind).append("     *\n");
        sb.append(ind).append("     * @param error the error value\n");
        sb.append(ind).append("     */\n");
        sb.append(ind).append("    public ").append(ex).append('(').append(type).append(" error) {\n");
        sb.append(ind).append("        super(error);\n");
        sb.append(ind).append("    }\n\n");
        sb.append(ind).append("    /**\n");
        sb.append(ind).append("     * The error value.\n");
        sb.append(ind).append("     *\n");
        sb.append(ind).append("     * @return the value of the {@code err} case\n");
        sb.append(ind).append("     */\n");
        sb.append(ind).append("    @").append(ref("java.lang.Override")).append('\n');
        sb.append(ind).append("    public ").append(type).append(" error() {\n");
        sb.append(ind).append("        return (").append(type).append(") super.error();\n");
        sb.append(ind).append("    }\n");
        sb.append(ind).append("}\n");
    }

    private void method(StringBuilder sb, String ind, Function f, Scope scope, Names.Scope members) {
        String wit = f.name();
        String shortName;
        String javaName;
        List<Param> params = f.params();
        switch (f.kind()) {
            case "method", "async-method" -> {
                shortName = wit.substring(wit.indexOf('.') + 1);
                javaName = safeMember(shortName);
                params = params.isEmpty() ? params : params.subList(1, params.size());
            }
            case "static", "async-static" -> {
                String res = wit.substring(wit.indexOf(']') + 1);
                shortName = null;
                javaName = Names.member(res.replace('.', '-'));
            }
            case "constructor" -> {
                shortName = null;
                javaName = "new" + Names.type(wit.substring(wit.indexOf(']') + 1));
            }
            default -> {
                shortName = wit;
                javaName = safeMember(wit);
            }
        }
        javaName = members.unique(javaName);
        boolean needsName = shortName == null || !Names.fromMember(javaName).equals(shortName);

        Names.Scope paramScope = new Names.Scope();
        List<String> names = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (Param p : params) {
            String n = paramScope.unique(p.name().isEmpty() ? "arg" : Names.member(p.name()));
            names.add(n);
            tags.add("@param " + n + " the {@code " + (p.name().isEmpty() ? n : p.name()) + "} argument");
        }
        ResultK result = resultOf(f);
        String returns;
        String throwsClause = null;
        if (result != null) {
            returns = result.ok() == null ? "void" : javaType(result.ok(), scope, false);
            int nominal = -1;
            if (result.err() != null && resolve(result.err()) instanceof Id id) {
                nominal = nominalOf(id.index());
            }
            String ex = nominal >= 0 ? exceptions.get(nominal) : null;
            if (ex != null) {
                throwsClause = nested(locs.get(nominal).top(), ex, scope);
            } else {
                throwsClause = ref(COMPONENT + "WitErrorException");
            }
            if (result.ok() != null) {
                tags.add("@return the value of the {@code ok} case");
            }
            tags.add("@throws " + throwsClause + " if the function returns {@code err}"
                    + (result.err() == null ? "" : " (its value is the exception's {@code error()})"));
        } else {
            returns = f.result() == null ? "void" : javaType(f.result(), scope, false);
            if (f.result() != null) {
                tags.add("@return the function's result");
            }
        }
        javadoc(sb, ind, f.docs(), "The WIT function {@code " + wit + "}.", tags);
        if (needsName) {
            sb.append(ind).append('@').append(ref(COMPONENT + "WitName")).append("(\"").append(literal(wit))
                    .append("\")\n");
        }
        sb.append(ind).append(returns).append(' ').append(javaName).append('(');
        for (int i = 0; i < params.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(javaType(params.get(i).type(), scope, false)).append(' ')
                    .append(names.get(i));
        }
        sb.append(')');
        if (throwsClause != null) {
            sb.append(" throws ").append(throwsClause);
        }
        sb.append(";\n");
    }

    private String tupleFile(int n) {
        StringBuilder sb = new StringBuilder();
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tags.add("@param <T" + i + "> the type of value " + i);
        }
        for (int i = 0; i < n; i++) {
            tags.add("@param f" + i + " value " + i);
        }
        javadoc(sb, "", null, "A WIT {@code tuple} of " + n + (n == 1 ? " value" : " values")
                + ", matched by position.", tags);
        sb.append("public record ").append(tupleName(n)).append('<');
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append('T').append(i);
        }
        sb.append(">(");
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append('T').append(i).append(" f").append(i);
        }
        sb.append(") {}\n");
        return sb.toString();
    }

    private void witNameIfNeeded(StringBuilder sb, String ind, String wit, String roundTrip) {
        if (!roundTrip.equals(wit)) {
            sb.append(ind).append('@').append(ref(COMPONENT + "WitName")).append("(\"").append(literal(wit))
                    .append("\")\n");
        }
    }

    /** A member name that is no keyword and declares no method of Object (or close). */
    private static String safeMember(String wit) {
        String m = Names.member(wit);
        return Names.OBJECT_MEMBERS.contains(m) || m.equals("close") ? m + "_" : m;
    }

    // ---------------------------------------------------------------- text

    private static String docOr(String docs, String fallback) {
        if (docs == null || docs.isBlank()) {
            return fallback;
        }
        return String.join(" ", docText(docs));
    }

    /** A javadoc comment: the WIT docs (or the fallback) as paragraphs, then the extra lines. */
    private static void javadoc(StringBuilder sb, String ind, String docs, String fallback, List<String> extra) {
        List<String> lines = new ArrayList<>();
        if (docs == null || docs.isBlank()) {
            lines.add(fallback);
        } else {
            lines.addAll(docText(docs));
        }
        List<String> paragraphs = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (String e : extra) {
            (e.startsWith("@") ? tags : paragraphs).add(e);
        }
        if (lines.size() == 1 && paragraphs.isEmpty() && tags.isEmpty()) {
            sb.append(ind).append("/** ").append(lines.get(0)).append(" */\n");
            return;
        }
        sb.append(ind).append("/**\n");
        for (String l : lines) {
            sb.append(ind).append(l.isEmpty() ? " *" : " * " + l).append('\n');
        }
        for (String p : paragraphs) {
            sb.append(ind).append(" *\n").append(ind).append(" * ").append(p).append('\n');
        }
        if (!tags.isEmpty()) {
            sb.append(ind).append(" *\n");
            for (String t : tags) {
                sb.append(ind).append(" * ").append(t).append('\n');
            }
        }
        sb.append(ind).append(" */\n");
    }

    /**
     * WIT doc text as javadoc lines: HTML-escaped ({@code & < > @ \ *}{@code /} and non-ASCII as
     * character references, so the file is ASCII and the comment cannot end early), backquoted
     * spans as {@code <code>}, and blank lines as paragraph breaks.
     */
    static List<String> docText(String docs) {
        List<String> out = new ArrayList<>();
        boolean paragraph = false;
        for (String raw : docs.strip().split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                paragraph = true;
                continue;
            }
            String text = escapeDoc(line);
            if (paragraph && !out.isEmpty()) {
                out.add("");
                text = "<p>" + text;
            }
            paragraph = false;
            out.add(text);
        }
        return out;
    }

    private static String escapeDoc(String line) {
        StringBuilder sb = new StringBuilder();
        boolean code = false;
        boolean spans = line.chars().filter(c -> c == '`').count() % 2 == 0;
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '`' && spans) {
                sb.append(code ? "</code>" : "<code>");
                code = !code;
                continue;
            }
            switch (cp) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '@' -> sb.append("&#64;");
                case '\\' -> sb.append("&#92;");
                case '/' -> sb.append(sb.length() > 0 && sb.charAt(sb.length() - 1) == '*' ? "&#47;" : "/");
                case '{' -> sb.append("&#123;");
                case '}' -> sb.append("&#125;");
                default -> {
                    if (cp < 0x20 || cp > 0x7e) {
                        sb.append("&#x").append(Integer.toHexString(cp)).append(';');
                    } else {
                        sb.append((char) cp);
                    }
                }
            }
        }
        if (code) {
            sb.append("</code>");
        }
        return sb.toString();
    }

    /** A Java string literal's body, ASCII only. */
    private static String literal(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String fullName(String pkgName, String item) {
        String[] nv = splitVersion(pkgName);
        return nv[0] + "/" + item + (nv[1].isEmpty() ? "" : "@" + nv[1]);
    }

    private static String[] splitVersion(String pkgName) {
        int at = pkgName.indexOf('@');
        return at < 0 ? new String[] {pkgName, ""} : new String[] {pkgName.substring(0, at), pkgName.substring(at + 1)};
    }

    private static String path(String javaPackage, String simple) {
        return javaPackage.replace('.', '/') + "/" + simple + ".java";
    }

    /**
     * A file's text: the header, package and imports, with each class reference resolved to its
     * simple name where nothing in scope shadows it, its qualified name otherwise.
     */
    private String finish(String javaPackage, Set<String> declared, String body) {
        TreeSet<String> refs = new TreeSet<>();
        for (int i = body.indexOf(REF_START); i >= 0; i = body.indexOf(REF_START, i + 1)) {
            refs.add(body.substring(i + 1, body.indexOf(REF_END, i)));
        }
        Set<String> samePackage = packageClasses.getOrDefault(javaPackage, Set.of());
        Map<String, String> bySimple = new HashMap<>();
        Map<String, String> resolved = new HashMap<>();
        TreeSet<String> imports = new TreeSet<>();
        for (String fqcn : refs) {
            int dot = fqcn.lastIndexOf('.');
            String pkg = fqcn.substring(0, dot);
            String simple = fqcn.substring(dot + 1);
            boolean ours = pkg.equals(javaPackage);
            boolean usable = !declared.contains(simple) && !bySimple.containsKey(simple)
                    && (ours || !samePackage.contains(simple));
            if (usable) {
                bySimple.put(simple, fqcn);
                resolved.put(fqcn, simple);
                if (!ours && !pkg.equals("java.lang")) {
                    imports.add(fqcn);
                }
            } else {
                resolved.put(fqcn, fqcn);
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < body.length(); ) {
            int s = body.indexOf(REF_START, i);
            if (s < 0) {
                text.append(body, i, body.length());
                break;
            }
            int e = body.indexOf(REF_END, s);
            text.append(body, i, s).append(resolved.get(body.substring(s + 1, e)));
            i = e + 1;
        }
        StringBuilder out = new StringBuilder();
        out.append("// Generated by wasmtime-jvm bindgen from the WIT world ").append(worldFullName)
                .append(". Do not edit.\n");
        out.append("package ").append(javaPackage).append(";\n\n");
        for (String imp : imports) {
            out.append("import ").append(imp).append(";\n");
        }
        if (!imports.isEmpty()) {
            out.append('\n');
        }
        out.append(text);
        return out.toString();
    }
}
