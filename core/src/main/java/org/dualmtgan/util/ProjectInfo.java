package org.dualmtgan.util;

/** Facts about this build and machine, recorded in checkpoints and reports. */
public final class ProjectInfo {
    private ProjectInfo() {}

    public static String version() {
        String v = ProjectInfo.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    public static String machine() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version");
    }
}
