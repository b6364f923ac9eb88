package io.edgeamp.core.report;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Renders reports to self-contained HTML with FreeMarker templates and inline SVG plots. */
public final class HtmlReports {
  private HtmlReports() {}

  private static final Configuration FREEMARKER = configure();

  private static Configuration configure() {
    Configuration c = new Configuration(Configuration.VERSION_2_3_34);
    c.setClassForTemplateLoading(HtmlReports.class, "/io/edgeamp/core/report");
    c.setDefaultEncoding("UTF-8");
    c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    c.setLogTemplateExceptions(false);
    c.setOutputFormat(freemarker.core.HTMLOutputFormat.INSTANCE); // escape ${...} by default
    return c;
  }

  /** The quantization report as one HTML page. */
  public static String quantization(QuantizationReport r) {
    Map<String, Object> model = new HashMap<>();
    model.put("r", r);
    model.put("charts", quantizationCharts(r));
    return render("quantization.html.ftl", model);
  }

  static Map<String, String> quantizationCharts(QuantizationReport r) {
    Map<String, String> c = new HashMap<>();
    List<String> names = r.layers().stream().map(QuantizationReport.Layer::name).toList();
    double[] sens = r.layers().stream().mapToDouble(QuantizationReport.Layer::sensitivity).toArray();
    double[] bits = r.layers().stream().mapToDouble(QuantizationReport.Layer::bits).toArray();
    double[] bytes = r.layers().stream().mapToDouble(QuantizationReport.Layer::weightBytes).toArray();
    c.put("sensitivity", Charts.bars("Hessian sensitivity per layer (" + r.sensitivityMethod() + ")", "sensitivity (log)", names,
        List.of(new Charts.Series("sensitivity", sens)), true));
    c.put("bits", Charts.bars("Bit width per layer (32 = float on the CPU)", "bits", names, List.of(new Charts.Series("bits", bits)), false));
    c.put("bytes", Charts.bars("Weight bytes per layer", "bytes", names, List.of(new Charts.Series("bytes", bytes)), false));
    List<double[][]> pts = new ArrayList<>();
    List<String> series = new ArrayList<>();
    for (String phase : List.of("search", "promote")) {
      var ps = r.probes().stream().filter(p -> p.phase().equals(phase)).toList();
      if (ps.isEmpty()) continue;
      series.add(phase);
      pts.add(new double[][] {ps.stream().mapToDouble(QuantizationReport.Probe::averageBits).toArray(),
          ps.stream().mapToDouble(QuantizationReport.Probe::metric).toArray()});
    }
    double lo = r.probes().stream().mapToDouble(QuantizationReport.Probe::averageBits).min().orElse(0);
    double hi = r.probes().stream().mapToDouble(QuantizationReport.Probe::averageBits).max().orElse(1);
    series.add("threshold");
    pts.add(new double[][] {{lo, hi}, {r.threshold(), r.threshold()}});
    series.add("float");
    double f = r.floatMetrics().getOrDefault(r.metric(), Double.NaN);
    pts.add(new double[][] {{lo, hi}, {f, f}});
    boolean[] lines = new boolean[series.size()];
    lines[series.size() - 1] = lines[series.size() - 2] = true; // threshold and float are reference lines
    c.put("probes", Charts.xy(r.metric() + " against average bits (every probe)", "average bits per weight", r.metric(), series, pts, lines));
    if (r.predicted() != null && r.actual() != null) {
      List<double[][]> scatter = new ArrayList<>();
      scatter.add(new double[][] {r.actual(), r.predicted()});
      double min = Math.min(Arrays.stream(r.actual()).min().orElse(0), Arrays.stream(r.predicted()).min().orElse(0));
      double max = Math.max(Arrays.stream(r.actual()).max().orElse(1), Arrays.stream(r.predicted()).max().orElse(1));
      scatter.add(new double[][] {{min, max}, {min, max}});
      c.put("predicted", Charts.xy("Predicted against actual (validation, chosen model)", "actual", "predicted", List.of("windows", "ideal"),
          scatter, new boolean[] {false, true}));
    }
    return c;
  }

  static String render(String template, Map<String, Object> model) {
    try {
      Template t = FREEMARKER.getTemplate(template);
      StringWriter w = new StringWriter();
      t.process(model, w);
      return w.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("report template " + template + ": " + e.getMessage(), e);
    } catch (TemplateException e) {
      throw new IllegalStateException("report template " + template + " failed: " + e.getMessage(), e);
    }
  }
}
