package dev.arcsim.listener.wire;

import org.junit.jupiter.api.Test;

import java.net.Proxy;
import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ARC's network settings: proxies from the environment with NO_PROXY, and extra root CAs. */
class JdkTransportTest {

    @Test
    void proxiesComeFromTheEnvironmentAndNoProxyBypassesThem() {
        var selector = new JdkTransport.EnvironmentProxySelector(Map.of(
                "HTTPS_PROXY", "http://proxy.corp:3128", "http_proxy", "proxy.corp:8080",
                "NO_PROXY", "localhost,.internal.example, 10.0.0.1:443"));
        Proxy https = selector.select(URI.create("https://api.github.com/x")).get(0);
        assertEquals(Proxy.Type.HTTP, https.type());
        assertTrue(https.address().toString().contains("proxy.corp") && https.address().toString().endsWith(":3128"));
        assertTrue(selector.select(URI.create("http://example.com/")).get(0).address().toString().endsWith(":8080"));
        assertEquals(Proxy.NO_PROXY, selector.select(URI.create("https://localhost:8443/")).get(0));
        assertEquals(Proxy.NO_PROXY, selector.select(URI.create("https://ghes.internal.example/")).get(0));
        assertEquals(Proxy.NO_PROXY, selector.select(URI.create("https://10.0.0.1/")).get(0));
        assertEquals(Proxy.NO_PROXY, new JdkTransport.EnvironmentProxySelector(Map.of())
                .select(URI.create("https://api.github.com/")).get(0));
    }

    @Test
    void aServerRootCaThatIsNoCertificateIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JdkTransport.sslContextWith("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"));
        assertTrue(e.getMessage().startsWith("server_root_ca does not hold usable PEM certificates"), e.getMessage());
    }
}
