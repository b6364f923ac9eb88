package io.edgeamp.hil;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The logs of one job (work/logs/JOB/attempt-N/*), tails concatenated, for the dashboard's job details. */
final class JobLogs {
  static final int TAIL = 32 * 1024;

  private JobLogs() {}

  static String read(Path work, String job) throws IOException {
    Path dir = work.resolve("logs").resolve(job).normalize();
    if (!dir.startsWith(work.resolve("logs")) || !Files.isDirectory(dir)) {
      throw new HilException(404, "no logs for this job on this server");
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir, 3)) {
      files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    StringBuilder sb = new StringBuilder();
    for (Path f : files) {
      sb.append("== ").append(dir.relativize(f)).append(" ==\n");
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
        long len = raf.length();
        long from = Math.max(0, len - TAIL);
        byte[] b = new byte[(int) (len - from)];
        raf.seek(from);
        raf.readFully(b);
        if (from > 0) {
          sb.append("... (").append(from).append(" bytes left out)\n");
        }
        sb.append(new String(b, StandardCharsets.UTF_8)).append('\n');
      }
    }
    return sb.toString();
  }
}
