package io.edgeamp.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quantization report renders its tables and inline SVG plots, escapes text, and round-trips to JSON. */
class HtmlReportsTest {
  static QuantizationReport sample(String layerName) {
    Map<String, Double> f = new LinkedHashMap<>(Map.of("r2", 0.95));
    return new QuantizationReport(QuantizationReport.FORMAT, "2026-11-22T00:00:00Z", "regression", "REGR_13k", "qemu-mps2-an386",
        "greedy-ti", "eigenvalue", "r2", 0.05, 0.9025, f, Map.of("r2", 0.93), Map.of("r2", 0.94), 5.5, true, 6000, 10000, 40000,
        List.of(new QuantizationReport.Layer(layerName, "conv", 288, 62.2, 4, true, 8, "npu", 304, null),
            new QuantizationReport.Layer("fc17", "dense", 32, 11.7, 6, true, 32, "cpu", 132, "fan-in 32 < 16? no: kept float by the search")),
        List.of(new QuantizationReport.Probe("search", 12, 11.9, 0.95, true), new QuantizationReport.Probe("search", 4, 4, 0.5, false),
            new QuantizationReport.Probe("search", 6, 5.5, 0.94, true), new QuantizationReport.Probe("promote", 5.6, 5.6, 0.93, true)),
        Map.of("sensitivity", 0.8), List.of("a warning"), null, new double[] {1, 2, 3}, new double[] {1.1, 1.9, 3.2}, null, null,
        Map.of("r2", 0.91), Map.of("r2", 0.9));
  }

  @Test
  void rendersTablesPlotsAndEscapesNames() throws Exception {
    String html = HtmlReports.quantization(sample("conv<2>"));
    assertTrue(html.contains("conv&lt;2&gt;"), "layer names must be HTML-escaped");
    assertFalse(html.contains("conv<2>"));
    int svgs = html.split("<svg", -1).length - 1;
    assertEquals(5, svgs, "sensitivity, bits, bytes, probes and predicted-vs-actual plots");
    assertTrue(html.contains("5.50 bits per weight"));
    assertTrue(html.contains("a warning"));
    assertTrue(html.contains("held-out test split") && html.contains("<td>0.9100</td>") && html.contains("<td>0.9000</td>"), "test split table");
    JsonNode json = new ObjectMapper().readTree(sample("conv2").toJson());
    assertEquals("edgeamp-quantization-report/1", json.get("format").asText());
    assertEquals(4, json.get("probes").size());
  }
}
