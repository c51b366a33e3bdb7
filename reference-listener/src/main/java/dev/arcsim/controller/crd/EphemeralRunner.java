package dev.arcsim.controller.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.LinkedHashMap;
import java.util.Map;

/** ARC's EphemeralRunner: one runner, its JIT config Secret and its pod, all of the same name. */
@Group("actions.github.com")
@Version("v1alpha1")
// Named, not derived: CustomResource otherwise pluralises the kind with regular expressions on every construction.
@Plural("ephemeralrunners")
@Singular("ephemeralrunner")
public class EphemeralRunner extends CustomResource<EphemeralRunner.Spec, EphemeralRunner.Status> implements Namespaced {

    public static final String PATCH_ID_ANNOTATION = "actions.github.com/patch-id";

    /** ARC inlines a PodTemplateSpec: {@code metadata} and {@code spec} sit beside the runner fields. */
    @JsonIgnoreProperties(ignoreUnknown = true)   // ARC's own objects carry fields arcsim does not model
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec {
        public String githubConfigUrl;
        public String githubConfigSecret;
        public Long runnerScaleSetId;
        public ObjectMeta metadata;
        public PodSpec spec;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)   // ARC's own objects carry fields arcsim does not model
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status {
        public Boolean ready;
        /** Pending, Running, Succeeded, Failed or Outdated. */
        public String phase;
        public String reason;
        public String message;
        public Long runnerId;
        public String runnerName;
        /** Pod UID to the time it failed; more than 5 and the runner is replaced. */
        public Map<String, String> failures = new LinkedHashMap<>();
        public Long jobRequestId;
        public String jobId;
        public String jobRepositoryName;
        public String jobWorkflowRef;
        public Long workflowRunId;
        public String jobDisplayName;

        public boolean done() {
            return "Succeeded".equals(phase) || "Failed".equals(phase) || "Outdated".equals(phase);
        }

        public boolean hasJob() {
            return jobId != null && !jobId.isEmpty();
        }
    }
}
