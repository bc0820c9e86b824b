package org.dualmtgan.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dualmtgan.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ModelConfigTest {

    @Test
    void defaultsAreThoseOfMethodMd() {
        ModelConfig c = new ModelConfig();
        assertEquals(64, c.size);
        assertEquals(16, c.frames);
        assertEquals(32, c.width);
        assertEquals(10, c.lambdaRec);
        assertEquals(1, c.lambdaC);
        assertEquals(1, c.lambdaM);
        assertEquals(0.01, c.lambdaKL);
        assertEquals(0.1, c.lambdaI);
        assertEquals(0.1, c.lambdaV);
        assertEquals(2e-4, c.lr);
        assertEquals(0.5, c.beta1);
        assertEquals(0.999, c.beta2);
        assertEquals("masked", c.decoder);
        assertEquals(4, c.encoderDepth(), "64 px: skips at 32, 16, 8, 4");
        c.validate();
    }

    @Test
    void jsonRoundTripKeepsEveryField() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ModelConfig c = new ModelConfig();
        c.width = 16;
        c.lambdaI = 0;
        c.decoder = "plain";
        String json = mapper.writeValueAsString(c);
        assertFalse(json.contains("encoderDepth"), json);
        ModelConfig back = mapper.readValue(json, ModelConfig.class);
        assertEquals(mapper.writeValueAsString(c), mapper.writeValueAsString(back));
        ModelConfig partial = mapper.readValue("{\"size\": 32}", ModelConfig.class);
        assertEquals(32, partial.size);
        assertEquals(32, partial.width, "unnamed fields keep their defaults");
    }

    @Test
    void validateNamesTheBadValue() {
        ModelConfig c = new ModelConfig();
        c.lambdaKL = -1;
        InvalidInputException e = assertThrows(InvalidInputException.class, c::validate);
        assertTrue(e.getMessage().contains("lambdaKL"), e.getMessage());
        ModelConfig d = new ModelConfig();
        d.decoder = "fancy";
        e = assertThrows(InvalidInputException.class, d::validate);
        assertTrue(e.getMessage().contains("decoder"), e.getMessage());
        ModelConfig f = new ModelConfig();
        f.frames = 1;
        assertThrows(InvalidInputException.class, f::validate);
    }

    @Test
    void adversarialWeightsWarmUpThenRampLinearly() {
        ModelConfig c = new ModelConfig();
        c.warmupSteps = 10;
        c.rampSteps = 5;
        assertEquals(0, c.adversarialFactor(0));
        assertEquals(0, c.adversarialFactor(9));
        assertEquals(0.2, c.adversarialFactor(10), 1e-12);
        assertEquals(0.6, c.adversarialFactor(12), 1e-12);
        assertEquals(1, c.adversarialFactor(14));
        assertEquals(1, c.adversarialFactor(1000));
        c.rampSteps = 0;
        assertEquals(1, c.adversarialFactor(10));
    }
}
