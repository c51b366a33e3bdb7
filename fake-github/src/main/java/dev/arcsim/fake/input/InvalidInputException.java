package dev.arcsim.fake.input;

/** Input that cannot be used: names where it is wrong ({@code faults[2].probability}) and what is allowed. */
public final class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
