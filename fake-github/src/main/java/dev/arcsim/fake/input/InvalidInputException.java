package dev.arcsim.fake.input;

/** Input that cannot be used: names where it is wrong ({@code faults[2].probability}) and what is allowed. */
public final class InvalidInputException extends RuntimeException {

    private final String field;
    private final String problem;

    public InvalidInputException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** What is wrong, without the field's name. */
    public String problem() {
        return problem;
    }

    public String field() {
        return field;
    }
}
