package dev.arcsim.listener.client;

/**
 * A message session as the client keeps it. The token is a credential: {@link #toString()} leaves it out.
 *
 * @param scaleSetId {@code runnerScaleSet.id} from the answer (legacy ARC builds its paths from it)
 */
public record MessageSession(String sessionId, String ownerName, long scaleSetId, String messageQueueUrl,
                             String messageQueueAccessToken, Statistics statistics) {

    @Override
    public String toString() {
        return "MessageSession[" + sessionId + ", owner " + ownerName + ", scale set " + scaleSetId + "]";
    }
}
