package dev.arcsim.listener.wire;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JDK HttpClient over TCP, with ARC's two network settings: a proxy from {@code HTTPS_PROXY}/{@code HTTP_PROXY}
 * and {@code NO_PROXY} (either case), and extra root CAs ({@code server_root_ca}) added to the system's.
 */
public final class JdkTransport implements Transport, AutoCloseable {

    private final HttpClient client;

    public JdkTransport(String serverRootCaPem, Map<String, String> environment) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .proxy(new EnvironmentProxySelector(environment));
        if (serverRootCaPem != null && !serverRootCaPem.isBlank()) {
            b.sslContext(sslContextWith(serverRootCaPem));
        }
        this.client = b.build();
    }

    @Override
    public WireResponse send(WireRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(request.timeout())
                .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(b::header);
        int[] head = {0};   // the status, once the response's head is in: a failure after it is in the body
        HttpResponse<byte[]> r;
        try {
            r = client.send(b.build(), info -> {
                head[0] = info.statusCode();
                return HttpResponse.BodySubscribers.ofByteArray();
            });
        } catch (java.net.http.HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw head[0] == 0 ? e : new BodyReadException(head[0], e);
        }
        return new WireResponse(r.statusCode(), r.headers().map(), r.body());
    }

    /** Ends every request in flight (they fail with an IOException) and closes the connections. */
    @Override
    public void close() {
        client.shutdownNow();
    }

    /** The system's trust anchors plus the given PEM certificates. */
    static SSLContext sslContextWith(String pem) {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var tm : system.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509TrustManager x509) {
                    for (X509Certificate c : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + i++, c);
                    }
                }
            }
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("server-root-ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("server_root_ca does not hold usable PEM certificates: " + e.getMessage(), e);
        }
    }

    /** Go's httpproxy.FromEnvironment, as far as ARC relies on it: scheme-specific proxies and NO_PROXY. */
    static final class EnvironmentProxySelector extends ProxySelector {
        private final Proxy https;
        private final Proxy http;
        private final List<String> noProxy;

        EnvironmentProxySelector(Map<String, String> env) {
            this.https = proxy(first(env, "HTTPS_PROXY", "https_proxy"));
            this.http = proxy(first(env, "HTTP_PROXY", "http_proxy"));
            String no = first(env, "NO_PROXY", "no_proxy");
            this.noProxy = no == null ? List.of() : Arrays.stream(no.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList();
        }

        @Override
        public List<Proxy> select(URI uri) {
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            if (bypass(host)) {
                return List.of(Proxy.NO_PROXY);
            }
            Proxy p = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
            return List.of(p == null ? Proxy.NO_PROXY : p);
        }

        boolean bypass(String host) {
            for (String rule : noProxy) {
                if (rule.equals("*")) {
                    return true;
                }
                String bare = rule.startsWith(".") ? rule.substring(1) : rule;
                bare = bare.contains(":") && !bare.contains("]") ? bare.substring(0, bare.indexOf(':')) : bare;
                if (host.equals(bare) || host.endsWith("." + bare)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // nothing to remember: the next request tries the same proxy
        }

        private static String first(Map<String, String> env, String a, String b) {
            String v = env.get(a);
            return v != null && !v.isBlank() ? v : env.get(b);
        }

        private static Proxy proxy(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            URI u = URI.create(value.contains("://") ? value : "http://" + value);
            int port = u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
            return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(u.getHost(), port));
        }
    }
}
