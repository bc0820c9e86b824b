package org.dualmtgan.cli;

import org.dualmtgan.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dualmtgan} command line. Exit codes: 0 success, 2 bad usage or bad input (one line on
 * standard error naming the file and the problem), 1 internal error.
 */
@Command(name = "dualmtgan",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Dual-MTGAN image-to-video synthesis: motion transfer and stochastic motion generation.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ConvertCommand.class,
                SynthCommand.class,
                TrainCommand.class,
                FitMotionCommand.class,
                ModelCommand.class,
                TransferCommand.class,
                GenerateCommand.class,
                ReconstructCommand.class,
                InterpolateCommand.class,
                EvalCommand.class,
                AblateCommand.class,
                ServeCommand.class,
                BenchCommand.class,
                DemoCommand.class,
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line in this JVM and returns the exit code (tests call this). */
    public static int run(String... args) {
        // The engine must never try the network: the native library ships in the jar.
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return withHandlers(new CommandLine(new Main()));
    }

    /**
     * The project's exit codes and messages on {@code cl}: bad input of any kind (an
     * {@link InvalidInputException} anywhere in the cause chain, or bad usage) prints "error: ..."
     * and exits 2; anything else is an internal error, exit 1, with its stack trace.
     */
    public static CommandLine withHandlers(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable root = ex;
            while (!(root instanceof InvalidInputException) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof InvalidInputException) {
                commandLine.getErr().println("error: " + root.getMessage());
                return EXIT_BAD_INPUT;
            }
            commandLine.getErr().println("internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return EXIT_INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"dualmtgan " + org.dualmtgan.util.ProjectInfo.version()};
        }
    }
}
