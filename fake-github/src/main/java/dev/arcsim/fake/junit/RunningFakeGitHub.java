package dev.arcsim.fake.junit;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.http.FakeGitHubServer;
import dev.arcsim.fake.state.Tenant;

/**
 * The fake-github of one test: the fake itself (its state, rules, faults and journal in Java), where it serves, and
 * its {@link #admin() admin client}.
 */
public final class RunningFakeGitHub implements AutoCloseable {

    private final FakeGitHub fake;
    private final FakeGitHubServer server;
    private final FakeGitHubAdmin admin;
    private final String baseUrl;
    private final int port;

    /** @param server where it serves; null in process */
    RunningFakeGitHub(FakeGitHub fake, FakeGitHubServer server) {
        this.fake = fake;
        this.server = server;
        this.baseUrl = server == null ? null : server.baseUrl();   // read while it serves: kept for after the test
        this.port = server == null ? -1 : server.port();
        this.admin = server == null ? FakeGitHubAdmin.inProcess(fake) : FakeGitHubAdmin.over(baseUrl, null);
    }

    public FakeGitHub fake() {
        return fake;
    }

    public FakeGitHubTest.Mode mode() {
        return server == null ? FakeGitHubTest.Mode.IN_PROCESS : FakeGitHubTest.Mode.HTTP;
    }

    /**
     * Where it serves, e.g. {@code http://127.0.0.1:41234}; a listener's {@code configure_url} is this plus
     * {@code /ORG} (or {@code /ORG/REPO}, {@code /enterprises/ENT}).
     *
     * @throws IllegalStateException in process, where nothing serves
     */
    public String baseUrl() {
        served();
        return baseUrl;
    }

    /** The port it serves on. */
    public int port() {
        served();
        return port;
    }

    public FakeGitHubAdmin admin() {
        return admin;
    }

    /**
     * Makes a runner scale set in organization {@code org}, as ARC's controller does before its listener starts, and
     * returns its id (a listener's {@code runner_scale_set_id}).
     */
    public long createScaleSet(String org, String name) {
        Tenant tenant = fake.state().tenantFor("organization", org, org, null);
        return fake.state().createScaleSet(tenant, name, null, null, null).id();
    }

    private void served() {
        if (server == null) {
            throw new IllegalStateException("this fake-github runs in process (@FakeGitHubTest(mode = IN_PROCESS)): "
                    + "nothing serves, so there is no base URL; call fake().handle(request), or use mode = HTTP");
        }
    }

    /** Ends parked long polls and stops serving. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        } else {
            fake.state().close();
        }
    }
}
