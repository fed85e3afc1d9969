package examples;

import io.github.wasmtimejvm.Engine;
import io.github.wasmtimejvm.Store;
import io.github.wasmtimejvm.component.Component;
import io.github.wasmtimejvm.component.Linker;
import io.github.wasmtimejvm.compose.ComponentEncoder;
import io.github.wasmtimejvm.compose.Preview1Adapter;
import io.github.wasmtimejvm.wasi.WasiConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs a WASI command with Java streams as its stdin and stdout. The command here is a WASI
 * preview 1 core module (an echo: stdin to stdout) made a component with the bundled preview 1
 * adapter; give the path of any command component to run that instead.
 *
 * <pre>
 * java examples.WasiCommand                   # the built-in echo
 * java examples.WasiCommand program.wasm      # any component exporting wasi:cli/run
 * </pre>
 */
public final class WasiCommand {

    static final String ECHO = """
            (module
              (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (loop $more
                  (i32.store (i32.const 0) (i32.const 1024))
                  (i32.store (i32.const 4) (i32.const 4096))
                  (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
                  (if (i32.gt_u (i32.load (i32.const 8)) (i32.const 0))
                    (then
                      (i32.store (i32.const 4) (i32.load (i32.const 8)))
                      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
                      (br $more))))))
            """;

    private WasiCommand() {}

    public static void main(String[] args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        WasiConfig wasi = WasiConfig.builder()
                .stdin(new ByteArrayInputStream("hello from Java\n".getBytes(StandardCharsets.UTF_8)))
                .stdout(stdout)
                .build();
        try (Engine engine = new Engine();
                Component command = args.length > 0
                        ? Component.fromFile(engine, Path.of(args[0]))
                        : ComponentEncoder.fromModuleWat(ECHO).adapter(Preview1Adapter.COMMAND).build(engine);
                Linker linker = new Linker(engine).addWasi();
                Store store = Store.builder(engine).wasi(wasi).build()) {
            int exit = linker.runCommand(store, command);
            System.out.println("exit status " + exit);
        }
        System.out.print("the guest wrote: " + stdout.toString(StandardCharsets.UTF_8));
    }
}
