package org.dualmtgan.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.dualmtgan.InvalidInputException;
import org.dualmtgan.data.DataConfig;
import org.dualmtgan.model.ModelConfig;
import org.dualmtgan.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A training config file: {@code {name, model: ModelConfig, data: DataConfig, train: TrainSettings}}.
 * One file per dataset lives in {@code configs/}; a run folder keeps the effective config (after
 * command-line overrides) as {@code config.json}. Unknown keys are errors, so a typo does not
 * silently train with a default.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class TrainConfig {
    public String name;
    public ModelConfig model = new ModelConfig();
    public DataConfig data = new DataConfig();
    public TrainSettings train = new TrainSettings();

    /** The mapper configs are read and written with (unknown keys are errors). */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Reads and validates a config file; any problem is an {@link InvalidInputException} naming the file. */
    public static TrainConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, "config file not found");
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot read config: " + e.getMessage(), e);
        }
        TrainConfig cfg = parse(file, text);
        try {
            cfg.validate();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file, e.getMessage(), e);
        }
        return cfg;
    }

    static TrainConfig parse(Path file, String text) {
        try {
            TrainConfig cfg = JSON.readValue(text, TrainConfig.class);
            if (cfg == null) throw new InvalidInputException(file, "config is empty");
            if (cfg.model == null) cfg.model = new ModelConfig();
            if (cfg.data == null) cfg.data = new DataConfig();
            if (cfg.train == null) cfg.train = new TrainSettings();
            return cfg;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file, "bad config: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
    }

    /** Checks every section; data.path may still be unset here (the command line can supply it). */
    public void validate() {
        if (name == null || name.isBlank()) throw new InvalidInputException("config: name is not set");
        model.validate();
        train.validate();
    }

    /** Writes this config as indented JSON, atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode toTree() {
        return JSON.valueToTree(this);
    }

    /** A deep copy (through JSON, so every section is copied whatever fields it has). */
    public TrainConfig copy() {
        return parse(null, toJson());
    }
}
