package org.dualmtgan.bench;

import org.dualmtgan.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * bench/pytorch_reference.py builds the side-by-side network from a config file with its own copy
 * of ModelConfig's defaults (MODEL_DEFAULTS): every model option must be there with the same default,
 * or a config that leaves an option out would build another network on the reference side.
 */
class ReferenceConfigTest {
    @Test
    void theReferenceKnowsEveryModelOptionWithItsDefault() throws Exception {
        Map<String, String> reference = referenceDefaults(Path.of("bench", "pytorch_reference.py"));
        ModelConfig defaults = new ModelConfig();
        Map<String, Object> java = new TreeMap<>();
        for (Field f : ModelConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            java.put(f.getName(), f.get(defaults));
        }
        assertEquals(java.keySet(), reference.keySet(), "options of ModelConfig and MODEL_DEFAULTS");
        for (Map.Entry<String, Object> e : java.entrySet()) {
            String py = reference.get(e.getKey());
            Object v = e.getValue();
            if (v instanceof Boolean b) {
                assertEquals(b ? "True" : "False", py, e.getKey());
            } else if (v instanceof String s) {
                assertEquals('"' + s + '"', py, e.getKey());
            } else {
                assertEquals(((Number) v).doubleValue(), Double.parseDouble(py), 1e-12, e.getKey());
            }
        }
    }

    /** The name=value pairs of the MODEL_DEFAULTS = dict(...) call. */
    static Map<String, String> referenceDefaults(Path file) throws IOException {
        String src = Files.readString(file);
        Matcher m = Pattern.compile("MODEL_DEFAULTS\\s*=\\s*dict\\(([^)]*)\\)", Pattern.DOTALL).matcher(src);
        assertTrue(m.find(), "MODEL_DEFAULTS = dict(...) in " + file);
        Map<String, String> out = new TreeMap<>();
        for (String pair : m.group(1).split(",")) {
            String p = pair.strip();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            assertTrue(eq > 0, "name=value: " + p);
            out.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
        }
        return out;
    }
}
