package io.github.wasmtimejvm.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The exact WIT name of a Java element in a binding (see {@link Instance#bind(Class)}), where the
 * default name mapping does not give it.
 *
 * <p>Without it, names map by case: a method or record component {@code addThree} is the WIT
 * function or field {@code add-three}, an enum constant {@code NONE_SHAPE} the case {@code
 * none-shape}, a variant case record {@code NoneShape} the case {@code none-shape}. With it, the
 * name is taken as written, so a method can bind a resource constructor ({@code
 * @WitName("[constructor]counter")}) or a static function ({@code @WitName("[static]counter.make")}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface WitName {
    /**
     * The WIT name.
     *
     * @return the name exactly as the component's WIT spells it
     */
    String value();
}
