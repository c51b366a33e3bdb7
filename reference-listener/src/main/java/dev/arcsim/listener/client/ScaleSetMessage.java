package dev.arcsim.listener.client;

import java.util.List;

/** A {@code RunnerScaleSetJobMessages} message with its body parsed. */
public record ScaleSetMessage(long messageId, Statistics statistics, List<JobMessage> jobs) {

    public List<JobMessage.JobAvailable> available() {
        return jobs.stream().filter(j -> j instanceof JobMessage.JobAvailable).map(j -> (JobMessage.JobAvailable) j).toList();
    }

    public List<JobMessage.JobStarted> started() {
        return jobs.stream().filter(j -> j instanceof JobMessage.JobStarted).map(j -> (JobMessage.JobStarted) j).toList();
    }

    public List<JobMessage.JobCompleted> completed() {
        return jobs.stream().filter(j -> j instanceof JobMessage.JobCompleted).map(j -> (JobMessage.JobCompleted) j).toList();
    }
}
