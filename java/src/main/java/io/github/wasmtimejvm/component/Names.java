package io.github.wasmtimejvm.component;

import io.github.wasmtimejvm.internal.WitNames;
import java.lang.reflect.RecordComponent;
import java.util.Locale;

/** How WIT names (kebab-case) meet Java names (camelCase members, UPPER_SNAKE constants). */
final class Names {
    private Names() {}

    /** {@code first-name} becomes {@code firstName}. */
    static String toJavaMember(String wit) {
        StringBuilder sb = new StringBuilder(wit.length());
        boolean upper = false;
        for (int i = 0; i < wit.length(); i++) {
            char c = wit.charAt(i);
            if (c == '-') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** {@code addThree} becomes {@code add-three}: an uppercase letter starts a new word. */
    static String fromJavaMember(String member) {
        return WitNames.fromJavaMember(member);
    }

    /** {@code NoneShape} becomes {@code none-shape}. */
    static String fromJavaType(String simpleName) {
        return fromJavaMember(simpleName);
    }

    /** {@code none-shape} becomes {@code NoneShape}. */
    static String toJavaType(String wit) {
        String member = toJavaMember(wit);
        return member.isEmpty() ? member : Character.toUpperCase(member.charAt(0)) + member.substring(1);
    }

    /** {@code none-shape} becomes {@code NONE_SHAPE}. */
    static String toJavaConstant(String wit) {
        return wit.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** {@code NONE_SHAPE} becomes {@code none-shape}. */
    static String fromJavaConstant(String constant) {
        return WitNames.fromJavaConstant(constant);
    }

    /** The record component for a WIT field name: the exact name or its camelCase form. */
    static RecordComponent component(RecordComponent[] comps, String wit) {
        String member = toJavaMember(wit);
        for (RecordComponent c : comps) {
            if (c.getName().equals(wit) || c.getName().equals(member)) {
                return c;
            }
        }
        return null;
    }
}
