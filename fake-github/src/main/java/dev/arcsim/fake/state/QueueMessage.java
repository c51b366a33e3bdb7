package dev.arcsim.fake.state;

import java.util.List;

/** A message as delivered by one poll: its id, its job messages, and the scale set's statistics at delivery time. */
public record QueueMessage(long messageId, List<JobMessage> jobMessages, Statistics statistics) {
}
