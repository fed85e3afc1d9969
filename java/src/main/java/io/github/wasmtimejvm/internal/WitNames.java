package io.github.wasmtimejvm.internal;

import java.util.Locale;

/**
 * How a typed binding reads Java names as WIT names, in one place for the two that must agree:
 * the runtime binding ({@code Instance.bind}, {@code Linker.implement}) and the generator of
 * binding sources ({@code bindgen}), which adds {@code @WitName} wherever this reading would not
 * give the WIT name back.
 */
public final class WitNames {
    private WitNames() {}

    /**
     * {@code addThree} (a method, record component or type name) becomes {@code add-three}: an
     * uppercase letter starts a new word.
     *
     * @param member the Java name
     * @return the WIT name it stands for
     */
    public static String fromJavaMember(String member) {
        StringBuilder sb = new StringBuilder(member.length() + 4);
        for (int i = 0; i < member.length(); i++) {
            char c = member.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('-');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * {@code NONE_SHAPE} (an enum constant) becomes {@code none-shape}.
     *
     * @param constant the Java constant's name
     * @return the WIT name it stands for
     */
    public static String fromJavaConstant(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
