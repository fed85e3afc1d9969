package io.github.wasmtimejvm.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The hand-written layouts agree with the header's structs (sizes from a C compiler, x86_64). */
class LayoutTest {

    @Test
    void valIsKindThenTheUnionAtEight() {
        assertEquals(32, WasmtimeJvm.VAL.byteSize(), "sizeof(wjvm_val_t)");
        assertEquals(8, WasmtimeJvm.VAL_OF, "offsetof(wjvm_val_t, of)");
        assertEquals(8, WasmtimeJvm.VAL.byteAlignment());
        assertEquals(24, WasmtimeJvm.VAL_PAYLOAD.byteSize(), "sizeof(wjvm_val_payload_t)");
    }

    @Test
    void strAndVecArePointerAndLength() {
        assertEquals(16, WasmtimeJvm.STR.byteSize(), "sizeof(wjvm_str_t)");
        assertEquals(16, WasmtimeJvm.VAL_VEC.byteSize(), "sizeof(wjvm_val_vec_t)");
    }
}
