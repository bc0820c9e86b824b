package org.dualmtgan.serve;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.dualmtgan.bench.ProcessMemory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code GET /metrics} reports, in the Prometheus text format through Micrometer's Prometheus
 * registry: requests by route template and status with latency histograms
 * ({@code http_server_requests_seconds}), work in flight and free slots, jobs by state, each model's
 * load time, the HTTP thread pool, and the JVM's heap, GC, threads and the process's resident
 * (native included) memory.
 */
final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final io.micrometer.core.instrument.Counter abandoned = io.micrometer.core.instrument.Counter.builder("dualmtgan.requests.abandoned")
            .description("Synchronous requests stopped because their client closed the connection").register(registry);

    ServerMetrics(ModelRegistry models, Jobs jobs, Semaphore slots, AtomicInteger running, int workers, QueuedThreadPool pool) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // The engine's tensors live outside the JVM heap: the resident set counts them.
        Gauge.builder("process.resident.memory", ProcessMemory::rssBytes).baseUnit("bytes")
                .description("Resident set size of the process (JVM heap, engine tensors, native libraries)").register(registry);
        Gauge.builder("dualmtgan.requests.running", running, AtomicInteger::get)
                .description("Synthesis requests and jobs computing now").register(registry);
        Gauge.builder("dualmtgan.slots.free", slots, Semaphore::availablePermits)
                .description("Free worker and queue places (0: new work gets 503)").register(registry);
        Gauge.builder("dualmtgan.workers", () -> workers).description("Worker threads").register(registry);
        for (Jobs.State s : Jobs.State.values()) {
            Gauge.builder("dualmtgan.jobs", jobs, j -> j.count(s)).tag("state", s.name().toLowerCase(Locale.ROOT))
                    .description("Jobs kept by the server, by state").register(registry);
        }
        models.loadSeconds().forEach((name, seconds) -> Gauge.builder("dualmtgan.model.load", () -> seconds)
                .tag("model", name).baseUnit("seconds").description("Time the model took to load").register(registry));
        Gauge.builder("jetty.threads.busy", pool, QueuedThreadPool::getBusyThreads).description("Busy HTTP threads").register(registry);
        Gauge.builder("jetty.threads.max", pool, QueuedThreadPool::getMaxThreads).description("HTTP thread limit").register(registry);
        Gauge.builder("jetty.queue.size", pool, QueuedThreadPool::getQueueSize).description("HTTP tasks waiting for a thread").register(registry);
    }

    /** A synchronous request whose client left: its work was stopped at the next frame. */
    void abandoned() {
        abandoned.increment();
    }

    /** One answered request: its route template (not the raw path, so ids do not make new series), method and status. */
    void request(String method, String route, int status, double millis) {
        Timer.builder("http.server.requests").tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .publishPercentileHistogram().description("HTTP requests by route and status")
                .register(registry).record(Duration.ofNanos((long) (millis * 1e6)));
    }

    /** The Prometheus text exposition of every meter. */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
