package dev.arcsim.fake.junit;

import dev.arcsim.fake.FakeGitHub;
import dev.arcsim.fake.http.FakeGitHubServer;
import dev.arcsim.fake.time.SystemScheduler;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Optional;

/**
 * The JUnit 5 extension behind {@link FakeGitHubTest}: starts a fake before each test, resolves
 * {@link RunningFakeGitHub} and {@link FakeGitHubAdmin} parameters, and stops the fake after the test.
 */
public final class FakeGitHubExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FakeGitHubExtension.class);
    private static final String KEY = "running";

    @Override
    public void beforeEach(ExtensionContext context) {
        FakeGitHubTest settings = settings(context);
        FakeGitHub fake = new FakeGitHub(new SystemScheduler(), FakeGitHub.Options.defaults().withSeed(settings.seed()));
        FakeGitHubServer server = settings.mode() == FakeGitHubTest.Mode.HTTP ? FakeGitHubServer.start(fake, 0) : null;
        RunningFakeGitHub running = new RunningFakeGitHub(fake, server);
        context.getStore(NAMESPACE).put(KEY, running);
        if (!settings.rules().isBlank()) {
            try {
                running.admin().updateRules(settings.rules());
            } catch (FakeGitHubAdmin.AdminException e) {
                running.close();
                throw new ExtensionConfigurationException("@FakeGitHubTest(rules = ...) on " + context.getDisplayName()
                        + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RunningFakeGitHub running = context.getStore(NAMESPACE).remove(KEY, RunningFakeGitHub.class);
        if (running != null) {
            running.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == RunningFakeGitHub.class || type == FakeGitHubAdmin.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        RunningFakeGitHub running = context.getStore(NAMESPACE).get(KEY, RunningFakeGitHub.class);
        if (running == null) {
            // a @BeforeAll or a constructor: the fake is per test, so it does not exist yet
            throw new ParameterResolutionException("a fake-github exists for one test at a time: take "
                    + parameter.getParameter().getType().getSimpleName() + " in a @Test, @BeforeEach or @AfterEach "
                    + "method, not in " + parameter.getDeclaringExecutable().getName());
        }
        return parameter.getParameter().getType() == FakeGitHubAdmin.class ? running.admin() : running;
    }

    /** The method's annotation, else the nearest class's (its own, a superclass's, an enclosing class's). */
    private static FakeGitHubTest settings(ExtensionContext context) {
        Optional<FakeGitHubTest> onMethod = context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, FakeGitHubTest.class));
        if (onMethod.isPresent()) {
            return onMethod.get();
        }
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            Optional<FakeGitHubTest> found = AnnotationSupport.findAnnotation(c, FakeGitHubTest.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException("FakeGitHubExtension is registered on " + context.getDisplayName()
                + " without @FakeGitHubTest: annotate the class or method with @FakeGitHubTest instead");
    }
}
