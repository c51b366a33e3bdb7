package dev.arcsim.fake.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A request as the fake reads it from any URL text a client sends. */
class ApiRequestTest {

    private static ApiRequest of(String url) {
        return ApiRequest.of("get", url, Map.of(), null);
    }

    @Test
    void absoluteAndRelativeUrlsGiveTheDecodedPathAndQuery() {
        ApiRequest r = of("http://127.0.0.1:8765/acme//_apis/x%20y?api-version=6.0-preview&name=a%2Bb&name=c+d#frag");
        assertEquals("GET", r.method());
        assertEquals("/acme/_apis/x y", r.path());
        assertEquals(Map.of("api-version", List.of("6.0-preview"), "name", List.of("a+b", "c+d")), r.query());
        assertEquals("/_arcsim/state", of("/_arcsim/state?x=1").path());
        assertEquals("/", of("http://host:1").path());
        assertEquals("/", of("http://host:1?q=2").path());
        assertEquals(List.of("2"), of("http://host:1?q=2").query().get("q"));
    }

    @Test
    void aUrlThatIsNotValidKeepsItsRawTextAndRoutesNowhere() {
        // found by RequestFuzzTest: URI.create threw on these, so the request became the fake's own 500
        for (String url : List.of("http://fake.test/\u04ce  ", "http://fake.test/a%zz", "http://fake.test/%", "http://fake.test/a b?c=%g")) {
            ApiRequest r = of(url);
            assertEquals(Endpoint.UNKNOWN, Routes.match(r.method(), r.path()).endpoint(), url);
        }
        assertEquals("/a%zz", of("http://fake.test/a%zz").path());
        assertEquals(List.of("%g"), of("http://fake.test/a?c=%g").query().get("c"));
    }
}
