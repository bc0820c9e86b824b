package org.dualmtgan.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The one-line summaries that `dualmtgan --help` (and `dualmtgan model --help`) list are whole sentences. */
class HelpSummaryTest {
    @Test
    void everyCommandSummaryIsAWholeSentence() {
        List<String> cut = new ArrayList<>();
        check(Main.commandLine(), cut);
        assertEquals(List.of(), cut, "summaries cut mid-sentence");
    }

    private static void check(CommandLine cl, List<String> cut) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandLine.Model.UsageMessageSpec u = sub.getCommandSpec().usageMessage();
            String[] lines = u.header().length > 0 ? u.header() : u.description();
            String summary = lines.length == 0 ? "" : lines[0].strip();
            if (!summary.endsWith(".")) cut.add(sub.getCommandName() + ": " + summary);
            check(sub, cut);
        }
    }
}
