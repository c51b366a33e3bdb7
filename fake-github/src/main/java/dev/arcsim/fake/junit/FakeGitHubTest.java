package dev.arcsim.fake.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives each test a fresh, running fake-github, as {@code @WireMockTest} gives one a WireMock server. Declare a
 * parameter of type {@link RunningFakeGitHub} (the fake, its base URL, a scale set maker) or {@link FakeGitHubAdmin}
 * (rules, faults, jobs, journal) on a test or lifecycle method:
 *
 * <pre>{@code
 * @FakeGitHubTest
 * class MyListenerTest {
 *     @Test
 *     void ridesOutA503(RunningFakeGitHub github) {
 *         long scaleSet = github.createScaleSet("acme", "arc-runner-set");
 *         github.admin().addFault(FaultSpec.status(503).on("get-message").count(2));
 *         // point the client under test at github.baseUrl() + "/acme"
 *     }
 * }
 * }</pre>
 *
 * On a class it holds for every test in it (and in its {@code @Nested} classes); on a method it overrides the class's.
 * The fake starts before each test and stops after it, also when the test fails, so no state or fault leaks from one
 * test to the next.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(FakeGitHubExtension.class)
public @interface FakeGitHubTest {

    /** How the test reaches the fake. */
    enum Mode {
        /** Served on 127.0.0.1 on a free port: a real client and real connections, fault deliveries included. */
        HTTP,
        /** No server: requests go straight to {@link dev.arcsim.fake.FakeGitHub#handle}; there is no base URL. */
        IN_PROCESS
    }

    Mode mode() default Mode.HTTP;

    /** The seed of the fake's random source (fault probabilities, ids, tokens): the same seed, the same run. */
    long seed() default 1;

    /**
     * A rules update applied before the test, as JSON (the body of {@code PUT /_arcsim/rules}), e.g.
     * {@code "{\"orphanSessionTtlSeconds\": 20}"}; empty for the service's defaults.
     */
    String rules() default "";
}
