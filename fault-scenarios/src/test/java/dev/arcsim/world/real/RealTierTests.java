package dev.arcsim.world.real;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the tests that need the real tier share: the tier, or a skip that says why and how to install it. */
public final class RealTierTests {

    private RealTierTests() {
    }

    public static RealTier require() {
        var tier = RealTier.installed();
        if (tier.isEmpty() && System.getenv("ARCSIM_REQUIRE_REAL_TIER") != null) {
            throw new AssertionError("the real Kubernetes tier is not installed in " + RealTier.versionDir()
                    + " and ARCSIM_REQUIRE_REAL_TIER is set (CI): run ./arcsim kube install");
        }
        assumeTrue(tier.isPresent(), "skipped: the real Kubernetes tier is not installed in " + RealTier.versionDir()
                + " (./arcsim kube install builds it; .ci/run installs it, so CI never skips this)");
        return tier.get();
    }
}
