package dev.arcsim.fake.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arcsim.fake.api.ApiResponse;
import dev.arcsim.fake.api.Endpoint;
import dev.arcsim.fake.input.InvalidInputException;
import dev.arcsim.fake.input.JsonInput;

import java.util.List;
import java.util.function.Supplier;

/**
 * The service refuses the request with a status and a protocol-correct error body; the request never reaches the
 * state. Rate limits (403, 429) and 503 carry {@code Retry-After} when {@code retryAfterSeconds} is set.
 *
 * @param typeName the exception type for Actions endpoints; when null a type fitting the status and endpoint is used
 */
public record StatusFault(int status, String typeName, String message, Long retryAfterSeconds) implements Fault {

    public static final String KIND = "status";
    static final List<Integer> ALLOWED = List.of(400, 401, 403, 404, 409, 429, 500, 502, 503, 504);

    static StatusFault parse(JsonInput in) {
        int status = in.intValue("status", 100, 599)
                .orElseThrow(() -> new InvalidInputException(in.field("status"), "is required; one of " + ALLOWED));
        if (!ALLOWED.contains(status)) {
            throw new InvalidInputException(in.field("status"), "must be one of " + ALLOWED + ", got " + status);
        }
        return new StatusFault(status, in.string("typeName").orElse(null), in.string("message").orElse(null),
                in.longValue("retryAfterSeconds", 0, 86_400).orElse(null));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public ApiResponse realise(Supplier<ApiResponse> service, FaultContext context) {
        String type = typeName != null ? typeName : defaultTypeName(status, context.endpoint());
        String text = message != null ? message : defaultMessage(status, context.endpoint());
        return context.error(status, type, text, retryAfterSeconds);
    }

    /** The exception the real service names for this status on this endpoint (PROTOCOL.md §1.6), else a generic one. */
    static String defaultTypeName(int status, Endpoint endpoint) {
        return switch (status) {
            case 400 -> endpoint == Endpoint.REMOVE_RUNNER ? "JobStillRunningException"
                    : endpoint == Endpoint.DELETE_SESSION ? "RunnerScaleSetSessionExpiredException" : "ArgumentException";
            case 401 -> "VssUnauthorizedException";
            case 403 -> "AccessDeniedException";
            case 404 -> endpoint == Endpoint.REFRESH_SESSION ? "RunnerAdminException"
                    : endpoint == Endpoint.GET_RUNNER || endpoint == Endpoint.REMOVE_RUNNER ? "AgentNotFoundException"
                    : "RunnerScaleSetNotFoundException";
            case 409 -> endpoint == Endpoint.GENERATE_JIT_CONFIG ? "AgentExistsException"
                    : "RunnerScaleSetSessionConflictException";
            case 429 -> "TooManyRequestsException";
            default -> "ServiceUnavailableException";
        };
    }

    static String defaultMessage(int status, Endpoint endpoint) {
        return switch (status) {
            case 401 -> "The access token is not valid.";
            case 403 -> endpoint.family() == Endpoint.Family.GITHUB_REST
                    ? "API rate limit exceeded for installation." : "Access denied.";
            case 404 -> endpoint == Endpoint.REFRESH_SESSION
                    ? "runner referenced a session ID that doesn't exist in redis" : "Not found.";
            case 409 -> endpoint == Endpoint.GENERATE_JIT_CONFIG
                    ? "An agent with this name already exists in the pool."
                    : "The actions runner scaleset already has an active session.";
            case 429 -> "Too many requests.";
            default -> "Injected fault: status " + status + ".";
        };
    }

    @Override
    public void describeInto(ObjectNode node) {
        node.put("status", status);
        if (typeName != null) {
            node.put("typeName", typeName);
        }
        if (message != null) {
            node.put("message", message);
        }
        if (retryAfterSeconds != null) {
            node.put("retryAfterSeconds", retryAfterSeconds);
        }
    }
}
