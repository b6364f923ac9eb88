package io.edgeamp.core.board;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The YAML shape of a board profile, as Jackson binds it. Every field is boxed or nullable so that a
 * missing key shows up as {@code null} and {@link ProfileValidator} can name it; Jackson itself
 * rejects unknown keys and values of the wrong type. These classes never leave the package: the
 * validator turns them into the public records ({@link BoardProfile} and its parts).
 */
final class ProfileYaml {
  private ProfileYaml() {}

  static final class Root {
    @JsonProperty("id") public String id;
    @JsonProperty("description") public String description;
    @JsonProperty("core") public String core;
    @JsonProperty("fpu") public String fpu;
    @JsonProperty("clock_hz") public Long clockHz;
    @JsonProperty("flash_bytes") public Long flashBytes;
    @JsonProperty("ram_bytes") public Long ramBytes;
    @JsonProperty("npu") public Npu npu;
    @JsonProperty("toolchain") public Toolchain toolchain;
    @JsonProperty("timer") public String timer;
    @JsonProperty("console") public Console console;
    @JsonProperty("flasher") public Flasher flasher;
    @JsonProperty("qemu") public Qemu qemu;
    @JsonProperty("verified") public Boolean verified;
    @JsonProperty("cost") public Cost cost;
  }

  static final class Npu {
    @JsonProperty("present") public Boolean present;
    @JsonProperty("implementation") public String implementation;
    @JsonProperty("bits") public List<Integer> bits;
    /** An integer (same for every bit width) or a mapping bit width -> bits; checked by hand. */
    @JsonProperty("requant_mult_bits") public JsonNode requantMultBits;
    @JsonProperty("channel_multiple") public Integer channelMultiple;
    @JsonProperty("limits") public Limits limits;
  }

  static final class Limits {
    @JsonProperty("fc_min_fan_in") public Map<Integer, Integer> fcMinFanIn;
    @JsonProperty("max_pool_kernel") public Integer maxPoolKernel;
    @JsonProperty("max_requant_shift") public Integer maxRequantShift;
    @JsonProperty("bias_bits") public Map<Integer, Integer> biasBits;
    @JsonProperty("conv_single_input_channel") public Boolean convSingleInputChannel;
  }

  static final class Toolchain {
    @JsonProperty("cc") public String cc;
    @JsonProperty("cflags") public List<String> cflags;
    @JsonProperty("ldflags") public List<String> ldflags;
    @JsonProperty("linker_script") public String linkerScript;
    @JsonProperty("runtime_port") public String runtimePort;
    @JsonProperty("portability_check") public PortabilityCheck portabilityCheck;
    @JsonProperty("note") public String note;
  }

  static final class PortabilityCheck {
    @JsonProperty("cc") public String cc;
    @JsonProperty("cflags") public List<String> cflags;
  }

  static final class Console {
    @JsonProperty("uart") public String uart;
    @JsonProperty("baud") public Integer baud;
  }

  static final class Flasher {
    @JsonProperty("kind") public String kind;
    @JsonProperty("argv") public List<String> argv;
    @JsonProperty("timeout_s") public Integer timeoutS;
  }

  static final class Qemu {
    @JsonProperty("binary") public String binary;
    @JsonProperty("machine") public String machine;
    @JsonProperty("cpu") public String cpu;
    @JsonProperty("extra_args") public List<String> extraArgs;
  }

  static final class Cost {
    @JsonProperty("source") public String source;
    @JsonProperty("unit") public String unit;
    @JsonProperty("layer_overhead") public Double layerOverhead;
    @JsonProperty("per_mac") public Map<String, Map<Integer, Double>> perMac;
    @JsonProperty("per_input_element") public Map<String, Map<Integer, Double>> perInputElement;
    @JsonProperty("bytes_per_weight") public Map<Integer, Double> bytesPerWeight;
    @JsonProperty("note") public String note;
  }
}
