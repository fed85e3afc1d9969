package io.github.wasmtimejvm.maven;

import io.github.wasmtimejvm.bindgen.JavaBindings;
import io.github.wasmtimejvm.wit.WitException;
import io.github.wasmtimejvm.wit.WitPackage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates typed Java bindings for a WIT world (see {@link JavaBindings}) and adds them to the
 * project's compile source roots.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>io.github.wasmtimejvm</groupId>
 *   <artifactId>wasmtime-jvm-maven-plugin</artifactId>
 *   <version>0.1.0</version>
 *   <executions>
 *     <execution>
 *       <goals><goal>generate</goal></goals>
 *       <configuration>
 *         <world>calculator</world>
 *         <packageName>com.example.calc</packageName>
 *       </configuration>
 *     </execution>
 *   </executions>
 * </plugin>
 * }</pre>
 *
 * <p>The WIT is read from {@code src/main/wit} (a {@code .wit} file or a directory of them, with
 * a {@code deps/} folder for the packages it uses). Unchanged files are not rewritten, so an
 * incremental build recompiles nothing when the WIT did not change.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    /** The WIT to read: a {@code .wit} file, or a directory with an optional {@code deps/}. */
    @Parameter(property = "wasmtime.witDirectory", defaultValue = "${project.basedir}/src/main/wit")
    private File witDirectory;

    /** The world to generate bindings for; may be left out when the package has one world. */
    @Parameter(property = "wasmtime.world")
    private String world;

    /** The Java package of the generated sources (other WIT packages go in subpackages). */
    @Parameter(property = "wasmtime.packageName", required = true)
    private String packageName;

    /** Where the sources are written; added to the compile source roots. */
    @Parameter(
            property = "wasmtime.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/wasmtime-jvm")
    private File outputDirectory;

    /** Skips the goal. */
    @Parameter(property = "wasmtime.bindgen.skip", defaultValue = "false")
    private boolean skip;

    /** The project whose source roots get the output directory. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** Creates the goal; Maven sets its parameters. */
    public GenerateMojo() {}

    /**
     * Generates the bindings and adds {@code outputDirectory} to the compile source roots.
     *
     * @throws MojoFailureException if the WIT does not parse, the world does not exist or the
     *     package name is not a Java package name
     * @throws MojoExecutionException if the sources cannot be written
     */
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("wasmtime-jvm bindgen skipped");
            return;
        }
        if (!witDirectory.exists()) {
            throw new MojoFailureException("the WIT directory " + witDirectory + " does not exist"
                    + " (set witDirectory to a .wit file or a directory of them)");
        }
        JavaBindings bindings;
        try {
            WitPackage wit = WitPackage.parse(witDirectory.toPath());
            String w = world;
            if (w == null || w.isBlank()) {
                if (wit.worldNames().size() != 1) {
                    throw new MojoFailureException("package " + wit.name() + " has "
                            + wit.worldNames().size() + " worlds (" + String.join(", ", wit.worldNames())
                            + "): set <world>");
                }
                w = wit.worldNames().iterator().next();
            }
            bindings = JavaBindings.generate(wit, w, packageName);
        } catch (WitException | IllegalArgumentException | UncheckedIOException e) {
            throw new MojoFailureException("cannot generate bindings from " + witDirectory + ": "
                    + e.getMessage(), e);
        }
        try {
            List<?> written = bindings.writeTo(outputDirectory.toPath());
            getLog().info("wasmtime-jvm bindgen: " + written.size() + " files for world "
                    + bindings.world() + " in " + outputDirectory);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write the bindings to " + outputDirectory, e);
        }
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
    }
}
