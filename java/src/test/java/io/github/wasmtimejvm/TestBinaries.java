package io.github.wasmtimejvm;

import java.util.HexFormat;

/** Component binaries for tests that need the binary encoding rather than WAT text. */
public final class TestBinaries {
    private TestBinaries() {}

    /**
     * corpus/components/add.wat as a component binary, made with {@code wasm-tools parse add.wat |
     * wasm-tools strip -a} (wasm-tools 1.263.0): Java has no wat2wasm and the corpus keeps only
     * text, so these 100 bytes live here. Exports {@code add: func(a: u32, b: u32) -> u32}.
     */
    private static final String ADD_WASM_HEX =
            "0061736d0d00010001290061736d0100000001070160027f7f017f030201000707010361646400000a0901"
                    + "0700200020016a0b020401000000070b0140020161790162790079060901000001000361646408"
                    + "060100000000000b09010003616464010000";

    /** A fresh copy of the add component binary. */
    public static byte[] addWasm() {
        return HexFormat.of().parseHex(ADD_WASM_HEX);
    }

    /** The smallest valid component: the preamble alone (magic, version 0xd, layer 1). */
    public static byte[] emptyComponent() {
        return new byte[] {0, 'a', 's', 'm', 0x0d, 0, 0x01, 0};
    }
}
