package dev.arcsim.fake.state;

/**
 * Who a config URL names: an organization, a repository or an enterprise. The fake gives each its own Actions service
 * URL ({@code /tenant/{id}/}), as the real service gives each its own tenant.
 *
 * @param key        the config URL's path, e.g. {@code acme}, {@code acme/app} or {@code enterprises/big}
 * @param ownerName  what job messages carry as {@code ownerName}
 */
public record Tenant(int id, String kind, String key, String ownerName, String repositoryName) {
}
