package dev.arcsim.controller.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * ARC's AutoscalingListener: one listener pod per AutoscalingRunnerSet. ARC's status is empty; arcsim's records
 * the listener pod's failures and the backoff before the next one, the gap ARC #4656 describes.
 */
@Group("actions.github.com")
@Version("v1alpha1")
// Named, not derived: CustomResource otherwise pluralises the kind with regular expressions on every construction.
@Plural("autoscalinglisteners")
@Singular("autoscalinglistener")
public class AutoscalingListener extends CustomResource<AutoscalingListener.Spec, AutoscalingListener.Status> implements Namespaced {

    @JsonIgnoreProperties(ignoreUnknown = true)   // ARC's own objects carry fields arcsim does not model
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec {
        public String githubConfigUrl;
        public String githubConfigSecret;
        public Long runnerScaleSetId;
        public String runnerScaleSetName;
        public String autoscalingRunnerSetNamespace;
        public String autoscalingRunnerSetName;
        public String ephemeralRunnerSetName;
        public Integer minRunners;
        public Integer maxRunners;
        public String image;
        public PodTemplateSpec template;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)   // ARC's own objects carry fields arcsim does not model
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status {
        /** Listener pods that ended (exit, eviction, deletion) since the last one that ran cleanly for a while. */
        public Integer failures;
        public Integer lastExitCode;
        public String lastFailureReason;
        public String lastFailureTime;
        /** When the next listener pod may be created: exponential backoff from the failure count. */
        public String nextAttemptTime;
        public Integer restarts;
    }
}
