package dev.arcsim.fake.testing;

import dev.arcsim.fake.api.ApiResponse;

import java.io.IOException;
import java.util.Map;

/** How a test's client reaches the fake: in-process through the handler, or over HTTP on loopback. */
public interface Transport {

    /** Sends one request; {@code url} is absolute. Connection-level faults surface as IOException. */
    ApiResponse send(String method, String url, Map<String, String> headers, byte[] body) throws IOException;

    /** The base URL a config URL is built on, e.g. {@code http://127.0.0.1:PORT}. */
    String baseUrl();
}
