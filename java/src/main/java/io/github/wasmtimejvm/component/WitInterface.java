package io.github.wasmtimejvm.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The WIT interface a Java interface stands for, such as {@code docs:calc/ops@1.0.0}: {@link
 * Instance#bind(Class)} binds it to the instance's export of that name, and {@link
 * Linker#implement(Class, Object)} defines it as the import of that name. A Java interface
 * without it binds the root functions of a world.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WitInterface {
    /**
     * The interface's full name.
     *
     * @return the name as components import and export it, such as {@code docs:calc/ops@1.0.0}
     */
    String value();
}
