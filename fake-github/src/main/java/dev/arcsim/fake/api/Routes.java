package dev.arcsim.fake.api;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps a method and a (slash-collapsed) path to the endpoint it names and the path's parameters. */
public final class Routes {

    /** A matched route; {@code params} are the pattern's named groups that matched. */
    public record Match(Endpoint endpoint, Matcher params) {
        public String param(String name) {
            return params.group(name);
        }
    }

    private record Route(String method, Pattern pattern, Endpoint endpoint) {
    }

    private static final String TENANT = "/tenant/(?<tenant>\\d+)";
    private static final String RSS = TENANT + "/_apis/runtime/runnerscalesets";
    private static final String AGENTS = TENANT + "/_apis/distributedtask/pools/0/agents";
    private static final String RUNNER = TENANT + "/_apis/arcsim/runner";

    private static final List<Route> ROUTES = List.of(
            route("POST", "/api/v3/app/installations/(?<installation>\\d+)/access_tokens", Endpoint.ACCESS_TOKEN),
            route("POST", "/api/v3/(?<scope>orgs/[^/]+|repos/[^/]+/[^/]+|enterprises/[^/]+)/actions/runners/registration-token",
                    Endpoint.REGISTRATION_TOKEN),
            route("POST", "/api/v3/actions/runner-registration", Endpoint.RUNNER_REGISTRATION),
            route("GET", RSS + "/?", Endpoint.GET_SCALE_SET),
            route("POST", RSS + "/?", Endpoint.CREATE_SCALE_SET),
            route("GET", RSS + "/(?<id>\\d+)/?", Endpoint.GET_SCALE_SET_BY_ID),
            route("PATCH", RSS + "/(?<id>\\d+)/?", Endpoint.UPDATE_SCALE_SET),
            route("DELETE", RSS + "/(?<id>\\d+)/?", Endpoint.DELETE_SCALE_SET),
            route("POST", RSS + "/(?<id>\\d+)/sessions/?", Endpoint.CREATE_SESSION),
            route("PATCH", RSS + "/(?<id>\\d+)/sessions/(?<session>[^/]+)/?", Endpoint.REFRESH_SESSION),
            route("DELETE", RSS + "/(?<id>\\d+)/sessions/(?<session>[^/]+)/?", Endpoint.DELETE_SESSION),
            route("GET", RSS + "/(?<id>\\d+)/messages/?", Endpoint.GET_MESSAGE),
            route("DELETE", RSS + "/(?<id>\\d+)/messages/(?<message>\\d+)/?", Endpoint.ACK_MESSAGE),
            route("GET", RSS + "/(?<id>\\d+)/acquirablejobs/?", Endpoint.ACQUIRABLE_JOBS),
            route("POST", RSS + "/(?<id>\\d+)/acquirejobs/?", Endpoint.ACQUIRE_JOBS),
            route("POST", RSS + "/(?<id>\\d+)/generatejitconfig/?", Endpoint.GENERATE_JIT_CONFIG),
            route("GET", TENANT + "/_apis/runtime/runnergroups/?", Endpoint.GET_RUNNER_GROUP),
            route("GET", AGENTS + "/?", Endpoint.GET_RUNNER_BY_NAME),
            route("GET", AGENTS + "/(?<runner>\\d+)/?", Endpoint.GET_RUNNER),
            route("DELETE", AGENTS + "/(?<runner>\\d+)/?", Endpoint.REMOVE_RUNNER),
            route("POST", RUNNER + "/connect", Endpoint.RUNNER_CONNECT),
            route("POST", RUNNER + "/job", Endpoint.RUNNER_TAKE_JOB),
            route("POST", RUNNER + "/complete", Endpoint.RUNNER_COMPLETE_JOB));

    private Routes() {
    }

    private static Route route(String method, String regex, Endpoint endpoint) {
        return new Route(method, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), endpoint);
    }

    /** The endpoint a request names; {@link Endpoint#UNKNOWN} with no parameters when none matches. */
    public static Match match(String method, String path) {
        for (Route route : ROUTES) {
            if (!route.method.equals(method)) {
                continue;
            }
            Matcher m = route.pattern.matcher(path);
            if (m.matches()) {
                return new Match(route.endpoint, m);
            }
        }
        return new Match(Endpoint.UNKNOWN, null);
    }
}
