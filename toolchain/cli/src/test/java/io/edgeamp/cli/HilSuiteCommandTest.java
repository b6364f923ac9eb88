package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * `toolchain hil test` end to end on real QEMU boards: the shipped classification suite (CLS_4k_NPU trained,
 * quantized, generated and built per machine, plus the demo harness firmware; one embedded server with one
 * board per machine; results checked against the suite's thresholds) passes with a JUnit XML report; then a
 * suite with a threshold the firmware cannot meet and a codegen entry without an artifact reports a failure
 * and an error and exits 1. The other three shipped task suites pass in one run.
 */
class HilSuiteCommandTest {
  static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
  static final String[] BOARDS = {"qemu-mps2-an385", "qemu-mps2-an386", "qemu-mps2-an500", "qemu-mps3-an547"};

  /** Runs the toolchain command line in this JVM; returns {exit code, what it printed}. */
  static String[] run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      rc = Toolchain.commandLine().execute(args);
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    System.out.println(out);
    return new String[] {Integer.toString(rc), out};
  }

  @Test
  void shippedSuitePassesAndThresholdsFail() throws Exception {
    Path dir = Files.createTempDirectory("hil-suite");
    Path xml = dir.resolve("junit.xml");
    String[] r = run("hil", "test", REPO.resolve("hil-tests/suites/classification.yaml").toString(), "--repo", REPO.toString(),
        "--work", dir.resolve("work").toString(), "--junit-xml", xml.toString(), "--json-out", dir.resolve("r.json").toString());
    assertEquals("0", r[0], r[1]);
    assertTrue(r[1].contains("8 passed, 0 failed, 0 errors"), r[1]);
    for (String b : BOARDS) {
      assertTrue(r[1].matches("(?s).*PASS\\s+motor-fault-classifier\\s+" + b + ".*"), r[1]);
      assertTrue(r[1].matches("(?s).*PASS\\s+demo-dense-classification\\s+" + b + ".*"), r[1]);
    }
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    Element suites = d.getDocumentElement();
    assertEquals("testsuites", suites.getTagName());
    assertEquals("8", suites.getAttribute("tests"));
    assertEquals("0", suites.getAttribute("failures"));
    NodeList cases = d.getElementsByTagName("testcase");
    assertEquals(8, cases.getLength());
    assertEquals("classification-qemu.motor-fault-classifier", ((Element) cases.item(0)).getAttribute("classname"));
    assertEquals("classification-qemu.demo-dense-classification", ((Element) cases.item(4)).getAttribute("classname"));
    assertTrue(cases.item(4).getTextContent().contains("latency_median=2"), cases.item(4).getTextContent());

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, String.join("\n",
        "suite: thresholds-check",
        "task: regression",
        "boards: [qemu-mps2-an386]",
        "defaults: {vectors: 3, thresholds: {bit_exact: true, latency_median_max: 100}}",
        "entries:",
        "  - name: too-slow",
        "    firmware: demo",
        "  - name: generated",
        "    firmware: codegen",
        "    artifact: no-such-artifact",
        ""));
    Path xml2 = dir.resolve("junit2.xml");
    r = run("hil", "test", bad.toString(), "--repo", REPO.toString(), "--work", dir.resolve("work2").toString(), "--junit-xml", xml2.toString());
    assertEquals("1", r[0], r[1]);
    assertTrue(r[1].contains("0 passed, 1 failed, 1 errors"), r[1]);
    Document d2 = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml2.toFile());
    Element f = (Element) d2.getElementsByTagName("failure").item(0);
    assertTrue(f.getAttribute("message").contains("latency median") && f.getAttribute("message").contains("> 100"), f.getAttribute("message"));
    assertEquals(1, d2.getElementsByTagName("error").getLength());

    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(unknown, "suite: x\ntask: classification\nboards: [qemu-mps2-an386]\nentries: [{name: a, firmwre: demo}]\n");
    r = run("hil", "test", unknown.toString(), "--work", dir.resolve("work3").toString());
    assertEquals("2", r[0], r[1]);
  }

  @Test
  void shippedRegressionAnomalyAndForecastingSuitesPass() throws Exception {
    Path dir = Files.createTempDirectory("hil-suites");
    Path json = dir.resolve("r.json");
    String[] r = run("hil", "test", REPO.resolve("hil-tests/suites/regression.yaml").toString(),
        REPO.resolve("hil-tests/suites/anomaly.yaml").toString(), REPO.resolve("hil-tests/suites/forecasting.yaml").toString(),
        "--repo", REPO.toString(), "--work", dir.resolve("work").toString(), "--json-out", json.toString());
    assertEquals("0", r[0], r[1]);
    JsonArray suites = new JsonObject(Files.readString(json)).getJsonArray("suites");
    assertEquals(3, suites.size());
    for (Object o : suites) {
      JsonArray cases = ((JsonObject) o).getJsonArray("cases");
      assertEquals(8, cases.size(), o.toString());
      for (Object c : cases) {
        JsonObject k = (JsonObject) c;
        assertEquals("pass", k.getString("status"), k.encode());
        assertTrue(k.getLong("latency_median") > 0, k.encode());
      }
    }
  }
}
