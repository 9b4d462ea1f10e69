package dev.sightline.embed.image;

import static dev.sightline.embed.image.TestImages.LENIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.embed.EmbedProblem;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The service-wide budget of pixels being decoded, alone and as {@link ImageDecoder} uses it. */
class DecodingBudgetTest {

    /** images/wide.png is 400 x 240. */
    private static final int WIDE_PIXELS = 96_000;

    @Test
    void anImageLargerThanTheWholeBudgetIsRefusedAsTooLarge() {
        DecodingBudget budget = new DecodingBudget(1000, Duration.ZERO);
        ProblemException e = assertThrows(ProblemException.class, () -> budget.acquire(40, 26));
        assertEquals(CommonProblem.PAYLOAD_TOO_LARGE, e.code());
        assertEquals("image is 40x26 pixels, more than the 1000 this service decodes at once", e.getMessage());
        assertEquals(1000, budget.available());
    }

    @Test
    void anImageThatFindsNoRoomInTimeIsRefusedAsQueueFullAndRoomComesBackWhenLeasesClose() {
        DecodingBudget budget = new DecodingBudget(1000, Duration.ofMillis(20));
        DecodingBudget.Lease big = budget.acquire(30, 30);
        DecodingBudget.Lease small = budget.acquire(10, 10);
        assertEquals(0, budget.available());
        ProblemException e = assertThrows(ProblemException.class, () -> budget.acquire(1, 1));
        assertEquals(EmbedProblem.QUEUE_FULL, e.code());
        assertEquals(1, e.code().retryAfterSeconds());
        big.close();
        big.close();
        assertEquals(900, budget.available());
        small.close();
        assertEquals(1000, budget.available());
    }

    @Test
    void aDecodeHoldsItsPixelsUntilItsImageIsReducedThenGivesThemBack() {
        DecodingBudget budget = new DecodingBudget(100_000, Duration.ZERO);
        int width = ImageDecoder.decode(TestImages.fixture("images/wide.png"), LENIENT, budget, image -> {
            assertEquals(100_000 - WIDE_PIXELS, budget.available());
            return image.width();
        });
        assertEquals(400, width);
        assertEquals(100_000, budget.available());
    }

    @Test
    void aDecodeGivesItsPixelsBackWhenTheImageIsCorruptOrItsUseFails() {
        DecodingBudget budget = new DecodingBudget(100_000, Duration.ZERO);
        byte[] png = TestImages.fixture("images/wide.png");
        byte[] truncated = Arrays.copyOf(png, png.length / 3);
        ProblemException corrupt = assertThrows(ProblemException.class,
                () -> ImageDecoder.decode(truncated, LENIENT, budget, image -> image));
        assertEquals(EmbedProblem.INVALID_IMAGE, corrupt.code());
        assertEquals(100_000, budget.available());
        assertThrows(IllegalStateException.class, () -> ImageDecoder.decode(png, LENIENT, budget, image -> {
            throw new IllegalStateException("preprocessing failed");
        }));
        assertEquals(100_000, budget.available());
    }

    @Test
    void aDecodeWithoutRoomIsRefusedBeforeDecodingAndLeavesTheBudgetAsItWas() {
        DecodingBudget budget = new DecodingBudget(100_000, Duration.ZERO);
        try (DecodingBudget.Lease held = budget.acquire(100, 100)) {
            ProblemException e = assertThrows(ProblemException.class, () -> ImageDecoder.decode(
                    TestImages.fixture("images/wide.png"), LENIENT, budget, image -> image));
            assertEquals(EmbedProblem.QUEUE_FULL, e.code());
            assertEquals(90_000, budget.available());
        }
        ProblemException tooLarge = assertThrows(ProblemException.class, () -> ImageDecoder.decode(
                TestImages.fixture("images/large.jpg"), LENIENT, budget, image -> image));
        assertEquals(CommonProblem.PAYLOAD_TOO_LARGE, tooLarge.code());
        assertEquals("image is 1600x1200 pixels, more than the 100000 this service decodes at once",
                tooLarge.getMessage());
        assertEquals(100_000, budget.available());
    }
}
