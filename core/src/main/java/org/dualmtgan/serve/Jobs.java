package org.dualmtgan.serve;

import org.dualmtgan.animate.Animator;
import org.dualmtgan.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Long work as jobs: a submitted job runs on a worker like a synchronous request, reports its
 * progress (frames rendered of the total, from {@link Animator#withProgress}), keeps its result in
 * its own folder, and is removed with its files {@code ttl} after it ends (or when deleted). A job
 * holds its server slot from submission until it ends, so jobs and synchronous requests share one
 * bound on the work in flight.
 */
final class Jobs implements AutoCloseable {
    enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    /** One job. Fields written by the worker are volatile: readers are HTTP threads. */
    static final class Job {
        final String id;
        final String operation;
        /** The client that submitted it: only it lists, reads and cancels the job. */
        final String owner;
        final Instant created = Instant.now();
        final Path dir;
        volatile State state = State.QUEUED;
        volatile long framesDone;
        volatile long framesTotal;
        volatile Instant finished;
        volatile HttpError error;
        volatile Path result;
        volatile String contentType;
        volatile String fileName;
        volatile boolean cancelRequested;
        /** When a worker took it, and how long its work took (the result's X-Elapsed-Ms). */
        volatile Instant started;
        volatile long elapsedMs = -1;
        /** Bytes of its stored result (0 until it has one). */
        volatile long resultBytes;

        Job(String id, String operation, String owner, Path dir) {
            this.id = id;
            this.operation = operation;
            this.owner = owner;
            this.dir = dir;
        }

        boolean ended() {
            State s = state;
            return s == State.DONE || s == State.FAILED || s == State.CANCELLED;
        }
    }

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int maxJobs;
    private final long maxResultBytes;
    private final SecureRandom random = new SecureRandom();
    /** Runs after each progress report on the worker (tests slow or hold a job with it). */
    volatile Consumer<Job> onProgress = j -> {};

    Jobs(Duration ttl) {
        this(ttl, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** At most {@code maxJobs} jobs and {@code maxResultBytes} of results are kept: ended jobs beyond go early, oldest first. */
    Jobs(Duration ttl, int maxJobs, long maxResultBytes) {
        this.ttl = ttl;
        this.maxJobs = maxJobs;
        this.maxResultBytes = maxResultBytes;
    }

    /**
     * Removes ended jobs, the longest ended first, while more jobs or result bytes are kept than
     * allowed. {@code keep} (the job that has just ended) stays: its client has not yet read it.
     */
    synchronized void enforceLimits(Job keep) {
        List<Job> ended = new ArrayList<>();
        long bytes = 0;
        for (Job j : jobs.values()) {
            if (!j.ended() || j.finished == null) continue;
            bytes += j.resultBytes;
            if (j != keep) ended.add(j);
        }
        ended.sort(java.util.Comparator.comparing(j -> j.finished));
        int count = jobs.size();
        for (Job j : ended) {
            if (count <= maxJobs && bytes <= maxResultBytes) break;
            remove(j.id);
            count--;
            bytes -= j.resultBytes;
        }
    }

    /** A new job id: 128 random bits, so ids cannot be guessed. */
    String newId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Starts {@code work} on {@code workers} for a job whose form was read and checked into {@code dir};
     * {@code release} runs once the job ends, however it ends.
     */
    Job submit(String id, String operation, String owner, Path dir, Operations.Work work, ExecutorService workers, Runnable release) {
        Job job = new Job(id, operation, owner, dir);
        jobs.put(id, job);
        enforceLimits(null);
        try {
            workers.submit(() -> run(job, work, release));
        } catch (RuntimeException e) {
            jobs.remove(id);
            release.run();
            throw e;
        }
        return job;
    }

    private void run(Job job, Operations.Work work, Runnable release) {
        // The outcome is published last, after the uploads are gone and the slot is free, so a client
        // that sees "done" sees the job's final files and the server's final capacity.
        State outcome;
        try {
            if (job.cancelRequested) throw new CancellationException();
            synchronized (job) {
                job.started = Instant.now();
                job.state = State.RUNNING;
            }
            Outputs.Body body = Animator.withProgress((done, total) -> {
                if (job.cancelRequested) throw new CancellationException("job " + job.id + " cancelled");
                synchronized (job) {
                    job.framesDone = done;
                    job.framesTotal = total;
                }
                onProgress.accept(job);
            }, () -> {
                try {
                    return work.compute();
                } catch (IOException e) {
                    throw new IllegalStateException("writing the result failed: " + e.getMessage(), e);
                }
            });
            if (job.cancelRequested) throw new CancellationException();
            Path out = job.dir.resolve("result");
            AtomicFiles.write(out, tmp -> Files.write(tmp, body.bytes()));
            job.contentType = body.contentType();
            job.fileName = body.fileName();
            job.result = out;
            job.resultBytes = body.bytes().length;
            outcome = State.DONE;
        } catch (CancellationException e) {
            outcome = State.CANCELLED;
        } catch (HttpError e) {
            job.error = e;
            outcome = State.FAILED;
        } catch (org.dualmtgan.InvalidInputException e) {
            job.error = HttpError.badRequest(null, e.getMessage());
            outcome = State.FAILED;
        } catch (RuntimeException | IOException | Error e) {
            job.error = new HttpError(500, "internal error: " + e);
            outcome = State.FAILED;
        }
        Instant end = Instant.now();
        deleteInputs(job);
        release.run();
        // The outcome, its time and its error appear together ({@link #describe} reads under the same lock);
        // a cancelled job stays visible as "cancelled" until it expires like any other.
        synchronized (job) {
            if (outcome == State.DONE) job.framesDone = Math.max(job.framesDone, job.framesTotal);
            job.elapsedMs = job.started == null ? 0 : java.time.Duration.between(job.started, end).toMillis();
            job.finished = end;
            job.state = outcome;
        }
        enforceLimits(job);
    }

    /** Everything of the job's folder but its result: the uploads and the encoder's files. */
    private static void deleteInputs(Job job) {
        try (var s = Files.list(job.dir)) {
            for (Path p : s.toList()) {
                if (!p.equals(job.result)) AtomicFiles.deleteRecursively(p);
            }
        } catch (IOException e) {
            // The folder goes with the job at the latest.
        }
    }

    Job get(String id) {
        return id == null ? null : jobs.get(id);
    }

    /**
     * Cancels a job that has not ended, or removes an ended one with its files. A cancelled job stops
     * before its next chunk of work (a queued one as soon as a worker takes it, without computing);
     * the worker then releases its slot and the job shows "cancelled" until it expires.
     */
    State cancel(Job job) {
        if (!job.ended()) {
            job.cancelRequested = true;
            return State.CANCELLED;
        }
        remove(job.id);
        return job.state;
    }

    private void remove(String id) {
        Job j = jobs.remove(id);
        if (j != null) AtomicFiles.deleteRecursively(j.dir);
    }

    /** Removes the jobs that ended more than ttl ago, with their files; returns how many. */
    int expire(Instant now) {
        int n = 0;
        for (Job j : new ArrayList<>(jobs.values())) {
            Instant f = j.finished;
            if (j.ended() && f != null && now.isAfter(f.plus(ttl))) {
                remove(j.id);
                n++;
            }
        }
        return n;
    }

    /** How many jobs are in state {@code s} now. */
    int count(State s) {
        int n = 0;
        for (Job j : jobs.values()) if (j.state == s) n++;
        return n;
    }

    int size() {
        return jobs.size();
    }

    /** The job as the API shows it. */
    Map<String, Object> describe(Job j, String base) {
        synchronized (j) {
            return describeLocked(j, base);
        }
    }

    private Map<String, Object> describeLocked(Job j, String base) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id);
        m.put("operation", j.operation);
        m.put("state", j.state.name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> p = new LinkedHashMap<>();
        long total = j.framesTotal;
        long done = j.framesDone;
        p.put("framesDone", done);
        p.put("framesTotal", total);
        p.put("fraction", j.state == State.DONE ? 1.0 : total > 0 ? Math.min(1.0, (double) done / total) : 0.0);
        m.put("progress", p);
        m.put("created", j.created.toString());
        Instant f = j.finished;
        if (f != null) {
            m.put("finished", f.toString());
            m.put("expires", f.plus(ttl).toString());
        }
        HttpError e = j.error;
        if (e != null) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("status", e.status());
            err.put("error", e.getMessage());
            err.put("field", e.field());
            m.put("error", err);
        }
        m.put("url", base + "/" + j.id);
        if (j.state == State.DONE) m.put("result", base + "/" + j.id + "/result");
        return m;
    }

    /** Every job of {@code owner}, newest first. */
    List<Job> all(String owner) {
        List<Job> out = new ArrayList<>();
        for (Job j : jobs.values()) if (j.owner.equals(owner)) out.add(j);
        out.sort((a, b) -> b.created.compareTo(a.created));
        return out;
    }

    @Override
    public void close() {
        for (Job j : new ArrayList<>(jobs.values())) {
            j.cancelRequested = true;
            remove(j.id);
        }
    }
}
