package dev.arcsim.world;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which resource a Kubernetes API path names, for matching faults. */
class KubernetesFaultsTest {

    @Test
    void theResourceIsThePluralAfterTheNamespaceOrTheVersion() {
        assertEquals("ephemeralrunnersets", KubernetesFaults.resource(
                "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/ephemeralrunnersets/arc-runner-set"));
        assertEquals("ephemeralrunners", KubernetesFaults.resource(
                "/apis/actions.github.com/v1alpha1/namespaces/arc-runners/ephemeralrunners/r-1/status"));
        assertEquals("pods", KubernetesFaults.resource("/api/v1/namespaces/arc-systems/pods?labelSelector=a%3Db"));
        assertEquals("pods", KubernetesFaults.resource("/api/v1/namespaces/arc-systems/pods"));
        assertEquals("namespaces", KubernetesFaults.resource("/api/v1/namespaces/arc-systems"));
        assertEquals("customresourcedefinitions", KubernetesFaults.resource(
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"));
    }
}
