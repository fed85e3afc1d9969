package io.github.wasmtimejvm.bindgen;

import io.github.wasmtimejvm.internal.WitNames;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * WIT names to Java names, and back the way the runtime binding maps them (so the generator knows
 * when a name needs {@code @WitName}): kebab-case to camelCase members, PascalCase types and
 * UPPER_SNAKE constants.
 */
final class Names {
    private Names() {}

    /** Java keywords, literals and restricted identifiers: never used as a name as they are. */
    static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class",
            "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
            "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public",
            "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
            "null", "var", "yield", "record", "sealed", "permits", "non-sealed", "_");

    /** Methods of Object (and AutoCloseable's close) that a generated member must not declare. */
    static final Set<String> OBJECT_MEMBERS = Set.of(
            "getClass", "hashCode", "equals", "toString", "notify", "notifyAll", "wait", "clone",
            "finalize");

    /** {@code add-three} becomes {@code addThree} (a keyword gets a trailing underscore). */
    static String member(String wit) {
        String m = camel(wit, false);
        return KEYWORDS.contains(m) ? m + "_" : m;
    }

    /** {@code none-shape} becomes {@code NoneShape}. */
    static String type(String wit) {
        return camel(wit, true);
    }

    /** {@code none-shape} becomes {@code NONE_SHAPE}. */
    static String constant(String wit) {
        String c = wit.toUpperCase(Locale.ROOT).replace('-', '_');
        return c.isEmpty() || !Character.isJavaIdentifierStart(c.charAt(0)) ? "_" + c : c;
    }

    /** How the runtime reads a member or type name back: an uppercase letter starts a word. */
    static String fromMember(String member) {
        return WitNames.fromJavaMember(member);
    }

    /** How the runtime reads a constant back. */
    static String fromConstant(String constant) {
        return WitNames.fromJavaConstant(constant);
    }

    /** A Java package segment for a WIT namespace or package name. */
    static String packageSegment(String wit) {
        String s = wit.toLowerCase(Locale.ROOT).replace('-', '_');
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            s = "_" + s;
        }
        return KEYWORDS.contains(s) ? s + "_" : s;
    }

    /** Whether {@code name} is a valid Java package name. */
    static boolean isPackageName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (String seg : name.split("\\.", -1)) {
            if (seg.isEmpty() || KEYWORDS.contains(seg) || !Character.isJavaIdentifierStart(seg.charAt(0))) {
                return false;
            }
            for (int i = 1; i < seg.length(); i++) {
                if (!Character.isJavaIdentifierPart(seg.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String camel(String wit, boolean upperFirst) {
        StringBuilder sb = new StringBuilder(wit.length());
        boolean upper = upperFirst;
        for (int i = 0; i < wit.length(); i++) {
            char c = wit.charAt(i);
            if (c == '-') {
                upper = true;
            } else if (Character.isJavaIdentifierPart(c)) {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        if (sb.length() == 0 || !Character.isJavaIdentifierStart(sb.charAt(0))) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }

    /** Hands out names unique in one scope: a taken name gets a number appended. */
    static final class Scope {
        private final Set<String> taken = new HashSet<>();

        /** Marks {@code name} taken. */
        void reserve(String name) {
            taken.add(name);
        }

        /** Whether {@code name} is taken. */
        boolean isTaken(String name) {
            return taken.contains(name);
        }

        /** {@code name}, or {@code name2}, {@code name3}, ... whichever is free first. */
        String unique(String name) {
            String n = name;
            for (int i = 2; taken.contains(n); i++) {
                n = name + i;
            }
            taken.add(n);
            return n;
        }
    }
}
