package dev.arcsim.controller.cluster;

/** One object of the cluster, by kind, namespace and name: what a watch event names. */
public record ObjectKey(Class<?> type, String namespace, String name) {
}
