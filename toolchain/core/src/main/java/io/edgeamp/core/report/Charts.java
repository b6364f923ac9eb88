package io.edgeamp.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * Plots for the HTML reports: JFreeChart charts rendered to inline SVG by JFreeSVG, so a report is
 * one self-contained file that needs no network and no script to show its figures.
 */
public final class Charts {
  private Charts() {}

  private static final int WIDTH = 720;
  private static final int HEIGHT = 320;
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};

  /** A named series of values, one per category (bar charts) or per x (line charts). */
  public record Series(String name, double[] values) {}

  public static String bars(String title, String yLabel, List<String> categories, List<Series> series, boolean logScale) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    for (Series s : series) {
      for (int i = 0; i < categories.size(); i++) {
        double v = s.values()[i];
        // A log axis cannot show zero or negative values: leave the bar out.
        if (!logScale || v > 0) ds.addValue(v, s.name(), categories.get(i));
      }
    }
    JFreeChart chart = ChartFactory.createBarChart(title, null, yLabel, ds, PlotOrientation.VERTICAL, series.size() > 1, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    if (logScale) {
      LogarithmicAxis axis = new LogarithmicAxis(yLabel);
      axis.setAllowNegativesFlag(false);
      axis.setStrictValuesFlag(false);
      plot.setRangeAxis(axis);
    }
    plot.getDomainAxis().setCategoryLabelPositions(categories.size() > 6 ? CategoryLabelPositions.UP_45 : CategoryLabelPositions.STANDARD);
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    for (int i = 0; i < series.size(); i++) r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    return svg(style(chart));
  }

  /**
   * Points (x[i], y[i]) per series; series whose {@code lines} flag is set are drawn as lines in x
   * order (reference lines such as a threshold), the others as markers.
   */
  public static String xy(String title, String xLabel, String yLabel, List<String> names, List<double[][]> points, boolean[] lines) {
    XYSeriesCollection ds = new XYSeriesCollection();
    for (int s = 0; s < names.size(); s++) {
      XYSeries series = new XYSeries(names.get(s), lines[s], true);
      double[][] p = points.get(s);
      for (int i = 0; i < p[0].length; i++) if (Double.isFinite(p[0][i]) && Double.isFinite(p[1][i])) series.add(p[0][i], p[1][i]);
      ds.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, ds, PlotOrientation.VERTICAL, names.size() > 1, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    for (int i = 0; i < names.size(); i++) {
      r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      r.setSeriesStroke(i, new BasicStroke(1.5f));
      r.setSeriesLinesVisible(i, lines[i]);
      r.setSeriesShapesVisible(i, !lines[i]);
    }
    plot.setRenderer(r);
    // Metrics live in a narrow band: zoom to the data rather than to zero.
    ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    ((org.jfree.chart.axis.NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    return svg(style(chart));
  }

  private static JFreeChart style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    chart.getPlot().setBackgroundPaint(new Color(0xf7f7f7));
    return chart;
  }

  private static String svg(JFreeChart chart) {
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g.getSVGElement();
  }
}
