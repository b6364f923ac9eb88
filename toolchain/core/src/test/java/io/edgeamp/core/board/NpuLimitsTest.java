package io.edgeamp.core.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link NpuSpec#whyCannotRun} against the TI F28P55x NPU limits of launchxl-f28p55x.yaml. */
class NpuLimitsTest {
  static NpuSpec ti;

  @BeforeAll
  static void load() {
    ti = new BoardProfiles(List.of(RepoPaths.profiles())).get("launchxl-f28p55x").npu();
  }

  @Test
  void legalLayersReturnNull() {
    assertNull(ti.whyCannotRun(LayerKind.CONV, 8, 8, 16, 8 * 9, 0));
    assertNull(ti.whyCannotRun(LayerKind.CONV, 2, 4, 4, 36, 0));
    assertNull(ti.whyCannotRun(LayerKind.DEPTHWISE_CONV, 4, 12, 12, 9, 0));
    assertNull(ti.whyCannotRun(LayerKind.DENSE, 8, 16, 10, 16, 0), "fan-in 16 at 8-bit is the minimum, allowed");
    assertNull(ti.whyCannotRun(LayerKind.DENSE, 4, 8, 3, 8, 0), "fan-in 8 at 4-bit is the minimum, allowed");
    assertNull(ti.whyCannotRun(LayerKind.MAX_POOL, 8, 16, 16, 0, 4), "kernel 4 is the maximum, allowed");
    assertNull(ti.whyCannotRun("conv", 8, 4, 8, 36, 0), "by YAML name");
  }

  @Test
  void channelMultiple() {
    assertEquals("npu.channel_multiple: conv output channels 10 is not a multiple of 4",
        ti.whyCannotRun(LayerKind.CONV, 8, 8, 10, 72, 0));
    assertEquals("npu.channel_multiple: conv input channels 6 is not a multiple of 4 (nor 1, which the "
        + "first-convolution mode accepts)", ti.whyCannotRun(LayerKind.CONV, 8, 6, 8, 54, 0));
    assertNull(ti.whyCannotRun(LayerKind.CONV, 8, 1, 8, 9, 0), "a first convolution has one input channel");
    assertEquals("npu.channel_multiple: depthwise_conv channels 6 is not a multiple of 4",
        ti.whyCannotRun(LayerKind.DEPTHWISE_CONV, 4, 6, 6, 9, 0));
  }

  @Test
  void denseFanInAt8And4Bits() {
    assertEquals("npu.limits.fc_min_fan_in: dense fan-in 12 at 8-bit is below the minimum 16",
        ti.whyCannotRun(LayerKind.DENSE, 8, 12, 10, 12, 0));
    assertEquals("npu.limits.fc_min_fan_in: dense fan-in 7 at 4-bit is below the minimum 8",
        ti.whyCannotRun(LayerKind.DENSE, 4, 7, 10, 7, 0));
    assertNull(ti.whyCannotRun(LayerKind.DENSE, 4, 12, 10, 12, 0), "12 is too few at 8-bit but enough at 4-bit");
  }

  @Test
  void maxPoolKernel() {
    assertEquals("npu.limits.max_pool_kernel: max_pool kernel 5 exceeds the maximum 4",
        ti.whyCannotRun(LayerKind.MAX_POOL, 8, 16, 16, 0, 5));
    assertNull(ti.whyCannotRun(LayerKind.AVG_POOL, 8, 16, 16, 0, 5), "the limit is for max-pool only");
  }

  @Test
  void bitWidthsAndFloat() {
    assertEquals("npu.bits: conv with 32-bit weights; the NPU path runs 2, 4, 8-bit weights only",
        ti.whyCannotRun(LayerKind.CONV, 32, 8, 8, 72, 0));
    assertEquals("npu: max_pool on 32-bit activations; activations on the NPU path are 8-bit",
        ti.whyCannotRun(LayerKind.MAX_POOL, 32, 8, 8, 0, 2));
    assertEquals(8, ti.requantMultBits(4));
    assertEquals(1, ti.requantMultBits(8));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ti.requantMultBits(3));
    assertTrue(e.getMessage().contains("no 3-bit weights"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ti.whyCannotRun(LayerKind.CONV, 8, -1, 8, 9, 0));
    assertThrows(IllegalArgumentException.class, () -> ti.whyCannotRun("conv2d", 8, 4, 8, 9, 0));
  }

  @Test
  void aBoardWithoutNpuRunsNothingThere() {
    assertTrue(NpuSpec.ABSENT.whyCannotRun(LayerKind.DENSE, 8, 64, 10, 64, 0).startsWith("the board has no NPU path"));
  }
}
