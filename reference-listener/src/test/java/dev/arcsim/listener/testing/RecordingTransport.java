package dev.arcsim.listener.testing;

import dev.arcsim.listener.wire.Transport;
import dev.arcsim.listener.wire.WireRequest;
import dev.arcsim.listener.wire.WireResponse;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Passes requests on and remembers every credential sent, so tests can look for them where they must not be. */
public final class RecordingTransport implements Transport {

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private final Transport next;

    public RecordingTransport(Transport next) {
        this.next = next;
    }

    @Override
    public WireResponse send(WireRequest request) throws IOException, InterruptedException {
        String auth = request.headers().get("Authorization");
        if (auth != null && auth.contains(" ")) {
            SECRETS.add(auth.substring(auth.indexOf(' ') + 1));
        }
        return next.send(request);
    }

    /** Every token any listener in this JVM sent. */
    public static Set<String> secretsSeen() {
        return Set.copyOf(SECRETS);
    }
}
