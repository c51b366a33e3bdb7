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

import java.util.List;

/** ARC's AutoscalingRunnerSet (CONTROLLER.md §B.1): what a user creates; everything else follows from it. */
@Group("actions.github.com")
@Version("v1alpha1")
// Named, not derived: CustomResource otherwise pluralises the kind with regular expressions on every construction.
@Plural("autoscalingrunnersets")
@Singular("autoscalingrunnerset")
public class AutoscalingRunnerSet extends CustomResource<AutoscalingRunnerSet.Spec, AutoscalingRunnerSet.Status> implements Namespaced {

    @JsonIgnoreProperties(ignoreUnknown = true)   // ARC's own objects carry fields arcsim does not model
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec {
        public String githubConfigUrl;
        /** A Secret in the same namespace with {@code github_token} (or the GitHub App keys). */
        public String githubConfigSecret;
        public String runnerGroup;
        public String runnerScaleSetName;
        public List<String> runnerScaleSetLabels;
        public Integer minRunners;
        public Integer maxRunners;
        public PodTemplateSpec template;
        public PodTemplateSpec listenerTemplate;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)   // ARC's own objects carry fields arcsim does not model
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status {
        public Integer currentRunners;
        public String phase;
        public Integer pendingEphemeralRunners;
        public Integer runningEphemeralRunners;
        public Integer failedEphemeralRunners;
    }
}
