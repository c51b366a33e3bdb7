package dev.arcsim.fake.faults;

import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.Endpoint;
import dev.arcsim.fake.random.RandomSource;

/** What a fault may use while it acts on one request. */
public interface FaultContext {

    Endpoint endpoint();

    RandomSource random();

    /** An error answer with the body shape of the endpoint's family (Actions or GitHub REST). */
    ApiResponse error(int status, String typeName, String message, Long retryAfterSeconds);
}
