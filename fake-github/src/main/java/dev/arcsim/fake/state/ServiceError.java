package dev.arcsim.fake.state;

/**
 * A refusal by the service, carried to the wire as a status and an error body. Actions-service errors keep the
 * server's exception type ({@code typeName}) so clients that match on it (ARC matches a substring) see what the real
 * service sends; GitHub REST errors use GitHub's {@code {"message","documentation_url"}} body instead.
 */
public final class ServiceError extends RuntimeException {

    public enum Family { ACTIONS, GITHUB_REST }

    private final int status;
    private final String typeName;
    private final Family family;
    private final Long retryAfterSeconds;

    private ServiceError(Family family, int status, String typeName, String message, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.family = family;
        this.status = status;
        this.typeName = typeName;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** An Actions-service error; {@code exception} is the short type name, qualified here as the service spells it. */
    public static ServiceError actions(int status, String exception, String message) {
        return new ServiceError(Family.ACTIONS, status, qualify(exception), message, null);
    }

    public static ServiceError actions(int status, String exception, String message, Long retryAfterSeconds) {
        return new ServiceError(Family.ACTIONS, status, qualify(exception), message, retryAfterSeconds);
    }

    public static ServiceError gitHub(int status, String message) {
        return new ServiceError(Family.GITHUB_REST, status, null, message, null);
    }

    public static ServiceError gitHub(int status, String message, Long retryAfterSeconds) {
        return new ServiceError(Family.GITHUB_REST, status, null, message, retryAfterSeconds);
    }

    /**
     * The assembly-qualified form ARC's logs show (PROTOCOL.md §1.6): scale-set exceptions live in
     * GitHub.Actions.Runtime.WebApi, agent exceptions in GitHub.DistributedTask.WebApi.
     */
    static String qualify(String exception) {
        if (exception.contains(".")) {
            return exception;
        }
        String ns = exception.startsWith("Agent") || exception.startsWith("JobStillRunning")
                ? "GitHub.DistributedTask.WebApi" : "GitHub.Actions.Runtime.WebApi";
        return ns + "." + exception + ", " + ns;
    }

    public int status() {
        return status;
    }

    /** The qualified exception type for Actions errors; null for GitHub REST errors. */
    public String typeName() {
        return typeName;
    }

    public Family family() {
        return family;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static ServiceError notFoundScaleSet(long id) {
        return actions(404, "RunnerScaleSetNotFoundException", "The runner scale set " + id + " does not exist.");
    }

    static ServiceError queueUnauthorized(String why) {
        return actions(401, "VssUnauthorizedException", why);
    }

    public static ServiceError badRequest(String message) {
        return actions(400, "ArgumentException", message);
    }
}
