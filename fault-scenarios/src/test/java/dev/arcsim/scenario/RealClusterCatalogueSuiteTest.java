package dev.arcsim.scenario;

import dev.arcsim.world.ClusterKind;
import dev.arcsim.world.real.RealTierTests;
import org.junit.jupiter.api.BeforeEach;

/**
 * The wire catalogue under every policy again, each run on its own real control plane (etcd, kube-apiserver,
 * kube-controller-manager), with the same expectations as on the mock: where the API server is part of what a
 * scenario judges, the real one must agree. Six at a time, as on the mock; a control plane takes about 600 MB.
 */
class RealClusterCatalogueSuiteTest extends CatalogueSuiteTest {

    @BeforeEach
    void needsTheRealTier() {
        RealTierTests.require();
    }

    @Override
    protected ClusterKind cluster() {
        return ClusterKind.REAL;
    }

    @Override
    protected int parallel() {
        return 6;
    }
}
