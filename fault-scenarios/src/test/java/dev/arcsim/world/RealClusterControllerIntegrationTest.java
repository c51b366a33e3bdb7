package dev.arcsim.world;

import dev.arcsim.world.real.RealTierTests;
import org.junit.jupiter.api.BeforeEach;

/**
 * The controller's integration tests again, on a real API server (etcd, kube-apiserver with RBAC, and
 * kube-controller-manager collecting owned objects), with the fault front in the way of every request.
 */
class RealClusterControllerIntegrationTest extends ControllerIntegrationTest {

    @BeforeEach
    void needsTheRealTier() {
        RealTierTests.require();
    }

    @Override
    protected ClusterKind cluster() {
        return ClusterKind.REAL;
    }
}
