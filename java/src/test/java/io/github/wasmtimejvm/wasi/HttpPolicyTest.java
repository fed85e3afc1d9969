package io.github.wasmtimejvm.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpPolicyTest {

    @Test
    void rulesAreNormalised() {
        HttpPolicy.Rule r = new HttpPolicy.Rule("HTTPS", "api.example.com", 443, Set.of("get", "Post"));
        assertEquals("https", r.scheme());
        assertEquals(Set.of("GET", "POST"), r.methods());
        HttpPolicy p = HttpPolicy.builder().allow(r).allowHost("*.internal").allow("*", 8080)
                .connectTimeout(Duration.ofSeconds(2)).maxResponseBody(10).build();
        assertEquals(3, p.rules().size());
        assertEquals(0, p.rules().get(1).port());
        assertEquals(Duration.ofSeconds(2), p.connectTimeout().orElseThrow());
        assertTrue(p.firstByteTimeout().isEmpty());
        assertEquals(10, p.maxResponseBody().orElseThrow());
        assertTrue(p.maxRequestBody().isEmpty());
        assertTrue(HttpPolicy.denyAll().rules().isEmpty());
    }

    @Test
    void badRulesAreRefusedWithTheReason() {
        for (String host : new String[] {"", "a*.b", "*.", "**", "x.*"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HttpPolicy.builder().allowHost(host), host);
            assertTrue(e.getMessage().contains("host"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HttpPolicy.builder().allow("h", 65536));
        assertThrows(IllegalArgumentException.class, () -> HttpPolicy.builder().allow("h", -1));
        assertThrows(IllegalArgumentException.class, () -> new HttpPolicy.Rule("ftp", "h", 0, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> HttpPolicy.builder().allow("h", 1, ""));
        assertThrows(IllegalArgumentException.class, () -> HttpPolicy.builder().connectTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> HttpPolicy.builder().maxRequestBody(-1));
    }

    @Test
    void aConfigurationCarriesItsPolicyToTheNativeSide() {
        HttpPolicy p = HttpPolicy.builder().allow("127.0.0.1", 80, "GET").build();
        WasiConfig with = WasiConfig.builder().outgoingHttp(p).build();
        assertEquals(p, with.outgoingHttp().orElseThrow());
        assertTrue(WasiConfig.builder().build().outgoingHttp().isEmpty());
        assertTrue(with.nativeEncoding().length > WasiConfig.builder().build().nativeEncoding().length);
    }
}
