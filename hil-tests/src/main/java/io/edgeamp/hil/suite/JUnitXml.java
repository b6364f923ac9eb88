package io.edgeamp.hil.suite;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML (the Ant/Surefire schema Jenkins, GitLab, GitHub test reporters read): one testsuite per
 * suite, one testcase per entry and board (classname SUITE.ENTRY, name BOARD), failure for a missed
 * threshold, error for a case that could not run, the figures in system-out and as properties.
 */
public final class JUnitXml {
  private JUnitXml() {}

  public static void write(List<SuiteReport> reports, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      w.writeStartElement("testsuites");
      w.writeAttribute("name", "edgeamp-hil");
      int tests = 0;
      int failures = 0;
      int errors = 0;
      double time = 0;
      for (SuiteReport r : reports) {
        tests += r.cases.size();
        failures += r.count("fail");
        errors += r.count("error");
        time += r.seconds;
      }
      w.writeAttribute("tests", Integer.toString(tests));
      w.writeAttribute("failures", Integer.toString(failures));
      w.writeAttribute("errors", Integer.toString(errors));
      w.writeAttribute("time", fmt(time));
      String host = hostname();
      for (SuiteReport r : reports) {
        w.writeCharacters("\n  ");
        w.writeStartElement("testsuite");
        w.writeAttribute("name", r.suite.suite);
        w.writeAttribute("tests", Integer.toString(r.cases.size()));
        w.writeAttribute("failures", Integer.toString(r.count("fail")));
        w.writeAttribute("errors", Integer.toString(r.count("error")));
        w.writeAttribute("skipped", "0");
        w.writeAttribute("time", fmt(r.seconds));
        w.writeAttribute("timestamp", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.ofEpochMilli(r.started).atOffset(ZoneOffset.UTC)));
        w.writeAttribute("hostname", host);
        w.writeCharacters("\n    ");
        w.writeStartElement("properties");
        prop(w, "suite.file", String.valueOf(r.suite.file));
        prop(w, "hil.server", r.server);
        if (r.suite.description != null) {
          prop(w, "description", r.suite.description);
        }
        w.writeEndElement();
        for (CaseResult c : r.cases) {
          w.writeCharacters("\n    ");
          w.writeStartElement("testcase");
          w.writeAttribute("classname", r.suite.suite + "." + c.c.entry.name);
          w.writeAttribute("name", c.c.board);
          w.writeAttribute("time", fmt(c.seconds));
          if ("fail".equals(c.status)) {
            w.writeStartElement("failure");
            w.writeAttribute("type", "threshold");
            w.writeAttribute("message", String.join("; ", c.failures));
            w.writeCharacters(String.join("\n", c.failures));
            w.writeEndElement();
          } else if ("error".equals(c.status)) {
            w.writeStartElement("error");
            w.writeAttribute("type", "hil");
            w.writeAttribute("message", String.valueOf(c.error));
            w.writeCharacters(String.valueOf(c.error));
            w.writeEndElement();
          }
          w.writeStartElement("system-out");
          w.writeCharacters(figures(c));
          w.writeEndElement();
          w.writeEndElement();
        }
        w.writeCharacters("\n  ");
        w.writeEndElement();
      }
      w.writeCharacters("\n");
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IOException("writing " + file + ": " + e.getMessage(), e);
    }
  }

  static String figures(CaseResult c) {
    return String.format(Locale.ROOT, "job=%s task=%s metric=%s value=%s latency_median=%s latency_p95=%s unit=%s bit_exact=%s%s",
        c.job, c.c.task, c.c.metric, c.metric(), c.median(), c.p95(), c.unit(),
        c.result == null ? null : c.result.getValue("bit_exact"),
        "instructions".equals(c.unit()) ? " (QEMU -icount instruction counts, not cycles)" : "");
  }

  private static void prop(XMLStreamWriter w, String k, String v) throws XMLStreamException {
    w.writeEmptyElement("property");
    w.writeAttribute("name", k);
    w.writeAttribute("value", v == null ? "" : v);
  }

  private static String fmt(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
