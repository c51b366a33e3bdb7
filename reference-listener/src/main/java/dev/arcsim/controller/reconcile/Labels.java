package dev.arcsim.controller.reconcile;

/** The labels and annotations the controller writes and reads (ARC's where ARC has one). */
public final class Labels {

    private Labels() {
    }

    public static final String SCALE_SET_ID = "runner-scale-set-id";
    public static final String SCALE_SET_NAME = "actions.github.com/runner-scale-set-name";
    public static final String RUNNER_GROUP = "actions.github.com/runner-group-name";
    public static final String ERS_NAME = "actions.github.com/ephemeral-runner-set-name";
    public static final String SCALE_SET_LABEL = "actions.github.com/scale-set-name";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String LISTENER_COMPONENT = "runner-scale-set-listener";
    public static final String RUNNER_COMPONENT = "runner";
    public static final String CONFIG_HASH = "arcsim.dev/config-hash";
    public static final String SPEC_HASH = "arcsim.dev/runner-spec-hash";
    public static final String ARS_NAMESPACE = "auto-scaling-runner-set-namespace";
    public static final String ARS_NAME = "auto-scaling-runner-set-name";
}
