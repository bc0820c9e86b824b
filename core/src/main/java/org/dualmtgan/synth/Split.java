package org.dualmtgan.synth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.dualmtgan.InvalidInputException;

import java.util.Locale;

/** Which side of the held-out rule a clip is sampled from: test contents and motions never occur in training. */
public enum Split {
    TRAIN, TEST;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Split parse(String s) {
        for (Split v : values()) {
            if (v.id().equalsIgnoreCase(s)) return v;
        }
        throw new InvalidInputException("unknown split '" + s + "' (valid: train, test)");
    }
}
