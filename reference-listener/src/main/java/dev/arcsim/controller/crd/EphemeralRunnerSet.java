package dev.arcsim.controller.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** ARC's EphemeralRunnerSet: the listener patches {@code replicas} and {@code patchID}; the controller makes runners. */
@Group("actions.github.com")
@Version("v1alpha1")
// Named, not derived: CustomResource otherwise pluralises the kind with regular expressions on every construction.
@Plural("ephemeralrunnersets")
@Singular("ephemeralrunnerset")
public class EphemeralRunnerSet extends CustomResource<EphemeralRunnerSet.Spec, EphemeralRunnerSet.Status> implements Namespaced {

    @JsonIgnoreProperties(ignoreUnknown = true)   // ARC's own objects carry fields arcsim does not model
    public static class Spec {
        /** Omitted when 0, as ARC's omitempty does: a merge patch with {@code replicas: null} means 0. */
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        public Integer replicas;
        /** Always serialized. */
        public int patchID;
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public EphemeralRunner.Spec ephemeralRunnerSpec;

        public int replicasOrZero() {
            return replicas == null ? 0 : replicas;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)   // ARC's own objects carry fields arcsim does not model
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status {
        public Integer currentReplicas;
        public Integer pendingEphemeralRunners;
        public Integer runningEphemeralRunners;
        public Integer failedEphemeralRunners;
        public String phase;
    }
}
