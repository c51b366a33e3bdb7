package dev.arcsim.listener.testing;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.api.ApiRequest;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.listener.wire.Transport;
import dev.arcsim.listener.wire.WireRequest;
import dev.arcsim.listener.wire.WireResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Hands the listener's requests to the fake's handler in-process; a broken delivery is an IOException. */
public final class FakeTransport implements Transport {

    public static final String BASE = "http://fake.test";
    private final FakeGitHub fake;

    public FakeTransport(FakeGitHub fake) {
        this.fake = fake;
    }

    @Override
    public WireResponse send(WireRequest request) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        headers.put("Host", request.uri().getRawAuthority());
        ApiResponse r = fake.handle(ApiRequest.of(request.method(), request.uri().toString(), headers, request.body()));
        if (r.delivery().broken() != null) {
            throw new IOException("connection broken: " + r.delivery().broken());
        }
        Map<String, List<String>> h = new LinkedHashMap<>();
        r.headers().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        return new WireResponse(r.status(), h, r.body());
    }
}
