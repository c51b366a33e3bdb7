package dev.arcsim.fake.testing;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.ApiResponse;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hands requests to the fake's handler directly; a broken delivery becomes the IOException a socket would give. */
public final class InProcessTransport implements Transport {

    private static final String BASE = "http://fake.test";
    private final FakeGitHub fake;

    public InProcessTransport(FakeGitHub fake) {
        this.fake = fake;
    }

    @Override
    public ApiResponse send(String method, String url, Map<String, String> headers, byte[] body) throws IOException {
        URI uri = URI.create(url);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Host", uri.getAuthority());
        ApiResponse response = fake.handle(ApiRequest.of(method, url, all, body));
        if (response.delivery().broken() != null) {
            throw new IOException("connection broken: " + response.delivery().broken());
        }
        return response;
    }

    @Override
    public String baseUrl() {
        return BASE;
    }
}
