package dev.arcsim.check;

/**
 * An expected range for one of a run's counts ({@code listenerRestarts}, {@code sessionConflicts}); a null end is
 * open.
 */
public record Bound(String measure, Integer min, Integer max) {

    public static final java.util.List<String> MEASURES = java.util.List.of("listenerRestarts", "sessionConflicts");

    /** Why {@code value} is out of range, or null when it is in. */
    public String unmet(long value) {
        if (min != null && value < min) {
            return "expected " + measure + " >= " + min + ", saw " + value;
        }
        if (max != null && value > max) {
            return "expected " + measure + " <= " + max + ", saw " + value;
        }
        return null;
    }
}
