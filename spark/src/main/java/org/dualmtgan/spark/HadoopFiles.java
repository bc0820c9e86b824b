package org.dualmtgan.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Files on any Hadoop-compatible file system (local {@code file:} paths, HDFS, object stores with
 * their connector on the class path). The media code reads and writes local files, so an input on
 * a remote file system is copied to the task's local folder first, and an output is written locally
 * and then published: copied to a temporary name beside its destination and renamed, so a retried or
 * killed task never leaves a half-written video under the final name.
 */
final class HadoopFiles {
    /** Prefix of the temporary names outputs are written under before the rename. */
    static final String TEMPORARY_PREFIX = "._tmp-";

    /**
     * Test hook: called after the copy under the temporary name and before the rename; a test makes
     * it throw to play a task killed there. Null in normal runs.
     */
    static volatile java.util.function.Consumer<Path> beforeRename;

    private HadoopFiles() {}

    /** The file system of {@code path}, without checksum side files ({@code .crc}) on local disks. */
    static FileSystem fs(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        fs.setWriteChecksum(false);
        fs.setVerifyChecksum(false);
        return fs;
    }

    /** {@code child} resolved against {@code base} unless it is absolute or has a scheme; qualified. */
    static Path resolve(Path base, String child, Configuration conf) throws IOException {
        Path p = new Path(child);
        Path full = p.isAbsolute() || p.toUri().getScheme() != null ? p : new Path(base, p);
        return fs(full, conf).makeQualified(full);
    }

    /** True for a path on the local disk ({@code file:} scheme), which the media code reads in place. */
    static boolean isLocal(Path p) {
        String scheme = p.toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    /**
     * A local file (or folder) holding {@code p}: the file itself when it is local, otherwise a copy
     * in {@code scratch} with the same name (its extension tells its format).
     */
    static java.nio.file.Path local(Path p, java.nio.file.Path scratch, Configuration conf) throws IOException {
        if (isLocal(p)) return new java.io.File(p.toUri().getPath()).toPath();
        FileSystem fs = fs(p, conf);
        if (!fs.exists(p)) throw new java.io.FileNotFoundException(p + ": no such file");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(scratch, "in-");
        java.nio.file.Path copy = dir.resolve(p.getName());
        fs.copyToLocalFile(false, p, new Path(copy.toUri()), true);
        return copy;
    }

    static boolean exists(Path p, Configuration conf) throws IOException {
        return fs(p, conf).exists(p);
    }

    /**
     * Publishes the local file or folder {@code local} as {@code dest}: copied under a temporary
     * name in {@code dest}'s folder, then renamed. Returns false when {@code dest} appeared meanwhile
     * (another attempt of the task finished first); the copy is then removed.
     */
    static boolean publish(java.nio.file.Path local, Path dest, Configuration conf) throws IOException {
        FileSystem fs = fs(dest, conf);
        Path tmp = new Path(dest.getParent(), TEMPORARY_PREFIX + dest.getName() + "-" + UUID.randomUUID());
        fs.mkdirs(dest.getParent());
        try {
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
            if (beforeRename != null) beforeRename.accept(dest);
            if (fs.exists(dest)) return false;
            if (!fs.rename(tmp, dest)) {
                if (fs.exists(dest)) return false;
                throw new IOException("cannot rename " + tmp + " to " + dest);
            }
            return true;
        } finally {
            if (fs.exists(tmp)) fs.delete(tmp, true);
        }
    }

    /**
     * Removes what killed tasks left in {@code dir}: files and folders under a temporary name.
     * Run by the driver after the job, when no task of it is running.
     */
    static int sweepTemporaries(Path dir, Configuration conf) throws IOException {
        FileSystem fs = fs(dir, conf);
        if (!fs.exists(dir)) return 0;
        int n = 0;
        if (!fs.exists(dir)) return 0;
        for (var st : fs.listStatus(dir)) {
            if (st.getPath().getName().startsWith(TEMPORARY_PREFIX)) {
                if (fs.delete(st.getPath(), true)) n++;
            } else if (st.isDirectory()) {
                // A generation's folder: its samples are published one by one.
                for (var inner : fs.listStatus(st.getPath(), p -> p.getName().startsWith(TEMPORARY_PREFIX))) {
                    if (fs.delete(inner.getPath(), true)) n++;
                }
            }
        }
        return n;
    }

    /** Writes {@code text} as {@code dest}, replacing it, through a temporary name and a rename. */
    static void writeString(Path dest, String text, Configuration conf) throws IOException {
        FileSystem fs = fs(dest, conf);
        Path tmp = new Path(dest.getParent(), TEMPORARY_PREFIX + dest.getName() + "-" + UUID.randomUUID());
        fs.mkdirs(dest.getParent());
        try {
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            if (fs.exists(dest)) fs.delete(dest, false);
            if (!fs.rename(tmp, dest)) throw new IOException("cannot rename " + tmp + " to " + dest);
        } finally {
            if (fs.exists(tmp)) fs.delete(tmp, false);
        }
    }

    /**
     * The entries of a Hadoop configuration as a plain map, to ship to the executors (a
     * {@code Configuration} is not serializable); {@link #configuration} rebuilds it there. The
     * driver's {@code SparkContext.hadoopConfiguration()} holds the {@code spark.hadoop.*} settings,
     * file system mount tables and object-store credentials a task needs.
     */
    static java.util.HashMap<String, String> snapshot(Configuration conf) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>();
        for (java.util.Map.Entry<String, String> e : conf) m.put(e.getKey(), e.getValue());
        return m;
    }

    /** A configuration holding exactly the entries of {@link #snapshot} (no defaults read on the executor). */
    static Configuration configuration(java.util.Map<String, String> entries) {
        Configuration c = new Configuration(false);
        entries.forEach(c::set);
        return c;
    }
}
