package io.edgeamp.core.data;

import io.edgeamp.core.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Reads a dataset folder in TI Tiny ML Tensorlab's "bring your own data" layouts, unchanged:
 *
 * <pre>
 * regression, forecasting           classification                 anomaly detection
 *   files/*.csv                       classes/&lt;label&gt;/*.csv         classes/Normal/*.csv
 *   annotations/ (optional here)      annotations/ (optional)          classes/Anomaly/*.csv
 *     instances_train_list.txt                                       annotations/ (optional)
 *     instances_val_list.txt
 *     instances_test_list.txt
 * </pre>
 *
 * Annotation lists name one file per line, relative to {@code files/} (or {@code classes/}, as
 * {@code <label>/<file>}). Without {@code instances_train_list.txt} the files are split at file level
 * with {@link DatasetSpec#seed()} and the spec's fractions (per class for classification; for anomaly
 * detection the Normal files are split and every Anomaly file goes to test, as in Tensorlab, where
 * Anomaly data is used only for testing). Anomaly files named in a training list are left out of
 * training.
 *
 * <p>Files are windowed with Tensorlab's {@code SimpleWindow}: windows of {@code frame_size} rows every
 * {@link DatasetSpec#stride()} rows, no short tail. Regression targets are the mean of the last column
 * over the window; forecasting targets are the {@code forecast_horizon} rows that follow the window, in
 * the target columns. Normalization statistics are computed over all data rows of the training files
 * only.
 */
public final class DatasetLoader {
  static final String ANNOTATIONS = "annotations";
  static final String TRAIN_LIST = "instances_train_list.txt";
  static final String VAL_LIST = "instances_val_list.txt";
  static final String TEST_LIST = "instances_test_list.txt";
  static final String NORMAL = "Normal";
  static final String ANOMALY = "Anomaly";

  private DatasetLoader() {}

  /** Loads with the task's default spec. */
  public static Dataset load(Path dir, Task task) {
    return load(dir, DatasetSpec.defaults(task));
  }

  public static Dataset load(Path dir, DatasetSpec spec) {
    Task task = spec.task();
    Path dataDir = checkLayout(dir, task);
    List<DataFile> all = task.usesClassFolders() ? listClassFiles(dataDir, task) : listFlatFiles(dataDir);
    List<String> classNames = classNames(all, task);

    Map<String, List<DataFile>> splits = readAnnotations(dir, dataDir, task, all);
    if (splits == null) splits = autoSplit(all, spec);

    // Read each file once; keep split order (sorted by path) for stable window order.
    Map<DataFile, CsvTable> tables = new LinkedHashMap<>();
    for (List<DataFile> files : splits.values()) {
      for (DataFile f : files) tables.put(f, CsvReader.read(f.path, f.relative));
    }
    if (splits.get("train").isEmpty()) {
      throw new DatasetException(dir.resolve(ANNOTATIONS).resolve(TRAIN_LIST), 0,
          "leaves no files for training.", "list at least one data file in it"
              + (task == Task.ANOMALY ? " (a Normal file: Anomaly files are never used for training)." : "."));
    }
    Columns cols = resolveColumns(spec, tables);

    List<CsvTable> trainTables = new ArrayList<>();
    for (DataFile f : splits.get("train")) trainTables.add(tables.get(f));
    Normalization norm = fit(trainTables, cols);

    Split train = window("train", splits.get("train"), tables, spec, cols, norm, classNames);
    Split val = window("val", splits.get("val"), tables, spec, cols, norm, classNames);
    Split test = window("test", splits.get("test"), tables, spec, cols, norm, classNames);
    if (train.isEmpty()) {
      throw new DatasetException("The training split of " + dir + " has no windows.");
    }
    return new Dataset(dir, spec, train, val, test, norm, classNames, cols.inputNames, cols.targetNames);
  }

  /**
   * The file-level split {@link #load} would make for {@code dir} without annotations: for each of
   * "train", "val", "test" the entries as they would be written in the annotation lists.
   */
  static Map<String, List<String>> plannedSplit(Path dir, DatasetSpec spec) {
    Path dataDir = checkLayout(dir, spec.task());
    List<DataFile> all = spec.task().usesClassFolders() ? listClassFiles(dataDir, spec.task()) : listFlatFiles(dataDir);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<DataFile>> e : autoSplit(all, spec).entrySet()) {
      List<String> keys = new ArrayList<>();
      for (DataFile f : e.getValue()) keys.add(f.key);
      out.put(e.getKey(), keys);
    }
    return out;
  }

  // ---------------------------------------------------------------- layout and file lists

  /** One data file and its label (class folder name, or null for files/). */
  static final class DataFile implements Comparable<DataFile> {
    final Path path;
    final String relative; // e.g. files/a.csv or classes/Normal/a.csv
    final String key; // relative to the data dir, as written in annotation lists
    final String label;

    DataFile(Path path, String relative, String key, String label) {
      this.path = path;
      this.relative = relative;
      this.key = key;
      this.label = label;
    }

    @Override
    public int compareTo(DataFile o) {
      return key.compareTo(o.key);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DataFile && ((DataFile) o).key.equals(key);
    }

    @Override
    public int hashCode() {
      return key.hashCode();
    }

    @Override
    public String toString() {
      return relative;
    }
  }

  private static Path checkLayout(Path dir, Task task) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir, 0, Files.exists(dir) ? "is not a folder." : "does not exist.",
          "pass the dataset folder, the one that holds " + task.dataDir() + "/ (unzip a .zip dataset first).");
    }
    Path data = dir.resolve(task.dataDir());
    if (Files.isDirectory(data)) return data;
    String other = task.usesClassFolders() ? "files" : "classes";
    if (Files.isDirectory(dir.resolve(other))) {
      String looksLike = task.usesClassFolders() ? "a regression or forecasting dataset (files/)"
          : "a classification or anomaly-detection dataset (classes/<label>/)";
      throw new DatasetException(dir, 0,
          "has no " + task.dataDir() + "/ folder, which a " + task + " dataset needs; it looks like " + looksLike + ".",
          "choose the matching task (--task " + (task.usesClassFolders() ? "regression|forecasting" : "classification|anomaly")
              + ") or arrange the files as " + layoutHint(task) + ".");
    }
    throw new DatasetException(dir, 0, "has no " + task.dataDir() + "/ folder.",
        "arrange the dataset as " + layoutHint(task) + ".");
  }

  private static String layoutHint(Task task) {
    switch (task) {
      case CLASSIFICATION:
        return "classes/<label>/*.csv (one folder per class)";
      case ANOMALY:
        return "classes/Normal/*.csv and classes/Anomaly/*.csv";
      default:
        return "files/*.csv, with the target in the last column for regression";
    }
  }

  private static boolean isDataFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".csv") || n.endsWith(".txt");
  }

  private static boolean isUnsupportedData(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".npy") || n.endsWith(".pkl");
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = new ArrayList<>();
      s.filter(p -> !p.getFileName().toString().startsWith(".")).forEach(out::add);
      Collections.sort(out);
      return out;
    } catch (IOException e) {
      throw new DatasetException(dir, 0, "cannot be listed (" + e.getMessage() + ").", "check its permissions.", e);
    }
  }

  private static List<Path> dataFilesIn(Path dir) {
    List<Path> out = new ArrayList<>();
    for (Path p : list(dir)) {
      if (!Files.isRegularFile(p)) continue;
      if (isUnsupportedData(p)) {
        throw new DatasetException(p, 0, "is a .npy/.pkl file; this toolchain reads CSV only.",
            "convert it to CSV (one row per time step, one column per channel), e.g. with numpy.savetxt(..., delimiter=',').");
      }
      if (isDataFile(p)) out.add(p);
    }
    return out;
  }

  private static List<DataFile> listFlatFiles(Path dataDir) {
    List<DataFile> out = new ArrayList<>();
    for (Path p : dataFilesIn(dataDir)) {
      String name = p.getFileName().toString();
      out.add(new DataFile(p, "files/" + name, name, null));
    }
    if (out.isEmpty()) {
      throw new DatasetException(dataDir, 0, "holds no .csv or .txt files.", "put the recordings (one CSV per run) in it.");
    }
    return out;
  }

  private static List<DataFile> listClassFiles(Path dataDir, Task task) {
    List<DataFile> out = new ArrayList<>();
    List<Path> classDirs = new ArrayList<>();
    for (Path p : list(dataDir)) {
      if (Files.isDirectory(p)) {
        classDirs.add(p);
      } else if (isDataFile(p) || isUnsupportedData(p)) {
        throw new DatasetException(p, 0, "lies directly in classes/, outside any class folder, so it has no label.",
            "move it into classes/<label>/ (" + (task == Task.ANOMALY ? "Normal or Anomaly" : "the folder name is its class") + ").");
      }
    }
    if (task == Task.ANOMALY) {
      boolean normal = false;
      for (Path d : classDirs) {
        String n = d.getFileName().toString();
        if (n.equalsIgnoreCase(NORMAL)) {
          normal = true;
        } else if (!n.equalsIgnoreCase(ANOMALY)) {
          throw new DatasetException(d, 0,
              "is not a folder anomaly detection knows: it expects classes/Normal and classes/Anomaly only.",
              "move these files into classes/Anomaly (every kind of fault goes there) or classes/Normal, or use --task classification.");
        }
      }
      if (!normal) {
        throw new DatasetException(dataDir, 0, "has no Normal/ folder; anomaly detection trains on normal data only.",
            "put recordings of normal operation in classes/Normal/ (and faults in classes/Anomaly/).");
      }
    } else if (classDirs.size() < 2) {
      throw new DatasetException(dataDir, 0, "has " + classDirs.size() + " class folder(s); classification needs at least 2.",
          "make one sub-folder per class, named after the class, e.g. classes/healthy and classes/bearing_fault.");
    }
    for (Path d : classDirs) {
      String label = d.getFileName().toString();
      if (task == Task.ANOMALY) label = label.equalsIgnoreCase(NORMAL) ? NORMAL : ANOMALY;
      List<Path> files = dataFilesIn(d);
      if (files.isEmpty()) {
        throw new DatasetException(d, 0, "holds no .csv or .txt files.", "add recordings of this class or remove the folder.");
      }
      for (Path p : files) {
        String key = d.getFileName() + "/" + p.getFileName();
        out.add(new DataFile(p, "classes/" + key, key, label));
      }
    }
    return out;
  }

  private static List<String> classNames(List<DataFile> all, Task task) {
    if (task == Task.ANOMALY) return List.of(NORMAL, ANOMALY);
    if (task != Task.CLASSIFICATION) return List.of();
    List<String> names = new ArrayList<>();
    for (DataFile f : all) if (!names.contains(f.label)) names.add(f.label);
    Collections.sort(names);
    return names;
  }

  // ---------------------------------------------------------------- splits

  /** The annotation lists, or null when there is no training list (then the files are split automatically). */
  private static Map<String, List<DataFile>> readAnnotations(Path dir, Path dataDir, Task task, List<DataFile> all) {
    Path ann = dir.resolve(ANNOTATIONS);
    if (!Files.isRegularFile(ann.resolve(TRAIN_LIST))) return null;
    Map<String, DataFile> byKey = new HashMap<>();
    for (DataFile f : all) {
      // Anomaly folders match in any case, so entries are compared with the canonical folder name.
      byKey.put(task == Task.ANOMALY ? f.label + f.key.substring(f.key.indexOf('/')) : f.key, f);
    }
    Map<String, String> seenAt = new HashMap<>();
    Map<String, List<DataFile>> out = new LinkedHashMap<>();
    String[][] lists = {{"train", TRAIN_LIST}, {"val", VAL_LIST}, {"test", TEST_LIST}};
    for (String[] l : lists) {
      List<DataFile> files = new ArrayList<>();
      Path listFile = ann.resolve(l[1]);
      if (Files.isRegularFile(listFile)) {
        List<String> lines;
        try {
          lines = Files.readAllLines(listFile, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
          throw new DatasetException(listFile, 0, "cannot be read as UTF-8 text (" + e.getMessage() + ").",
              "write one file name per line.", e);
        }
        for (int i = 0; i < lines.size(); i++) {
          String entry = lines.get(i).trim();
          if (i == 0 && entry.startsWith("\uFEFF")) entry = entry.substring(1).trim();
          if (entry.isEmpty()) continue;
          String key = normalizeEntry(entry, task);
          DataFile f = byKey.get(key);
          if (f == null) {
            throw new DatasetException(listFile, i + 1,
                "names \"" + entry + "\", which is not a data file in " + task.dataDir() + "/"
                    + (task.usesClassFolders() ? " (entries look like <label>/<file>.csv)" : "") + ".",
                "correct the name, add the file to " + task.dataDir() + "/, or delete this line.");
          }
          String where = l[1] + " line " + (i + 1);
          String before = seenAt.putIfAbsent(f.key, where);
          if (before != null) {
            throw new DatasetException(listFile, i + 1,
                "lists \"" + entry + "\" again; it is already in " + before + ".",
                "keep each file in one split only (a file in two splits leaks evaluation data into training).");
          }
          // Tensorlab: the Anomaly folder is excluded from training entirely.
          if (l[0].equals("train") && task == Task.ANOMALY && ANOMALY.equals(f.label)) continue;
          files.add(f);
        }
      }
      Collections.sort(files);
      out.put(l[0], files);
    }
    return out;
  }

  private static String normalizeEntry(String entry, Task task) {
    String e = entry.replace('\\', '/');
    while (e.startsWith("./")) e = e.substring(2);
    String prefix = task.dataDir() + "/";
    if (e.startsWith(prefix)) e = e.substring(prefix.length());
    if (task == Task.ANOMALY) {
      // Accept normal/... and anomaly/... in any case, as the folders are matched that way.
      int slash = e.indexOf('/');
      if (slash > 0) {
        String folder = e.substring(0, slash);
        if (folder.equalsIgnoreCase(NORMAL)) e = NORMAL + e.substring(slash);
        else if (folder.equalsIgnoreCase(ANOMALY)) e = ANOMALY + e.substring(slash);
      }
    }
    return e;
  }

  /** The seeded file-level split used when the dataset has no training list. */
  private static Map<String, List<DataFile>> autoSplit(List<DataFile> all, DatasetSpec spec) {
    Map<String, List<DataFile>> out = new LinkedHashMap<>();
    out.put("train", new ArrayList<>());
    out.put("val", new ArrayList<>());
    out.put("test", new ArrayList<>());
    // Group: one group for files/, one per class (stratified) for classification; anomaly splits Normal only.
    Map<String, List<DataFile>> groups = new LinkedHashMap<>();
    for (DataFile f : all) groups.computeIfAbsent(f.label == null ? "" : f.label, k -> new ArrayList<>()).add(f);
    for (Map.Entry<String, List<DataFile>> g : groups.entrySet()) {
      if (spec.task() == Task.ANOMALY && g.getKey().equals(ANOMALY)) {
        out.get("test").addAll(g.getValue());
        continue;
      }
      List<List<DataFile>> parts = splitFiles(g.getValue(), spec.trainFraction(), spec.valFraction(), spec.seed());
      out.get("train").addAll(parts.get(0));
      out.get("val").addAll(parts.get(1));
      out.get("test").addAll(parts.get(2));
    }
    for (List<DataFile> l : out.values()) Collections.sort(l);
    return out;
  }

  /**
   * Seeded file-level split: sort, shuffle with {@code new Random(seed)}, then the first
   * max(1, round(n*train)) files train, the next round(n*val) validate, the rest test.
   */
  static <T extends Comparable<? super T>> List<List<T>> splitFiles(List<T> files, double train, double val, long seed) {
    List<T> order = new ArrayList<>(files);
    Collections.sort(order);
    Collections.shuffle(order, new Random(seed));
    int n = order.size();
    int nTrain = (int) Math.min(n, Math.max(1, Math.round(n * train)));
    int nVal = (int) Math.min(n - nTrain, Math.round(n * val));
    List<List<T>> parts = new ArrayList<>();
    parts.add(new ArrayList<>(order.subList(0, nTrain)));
    parts.add(new ArrayList<>(order.subList(nTrain, nTrain + nVal)));
    parts.add(new ArrayList<>(order.subList(nTrain + nVal, n)));
    for (List<T> p : parts) Collections.sort(p);
    return parts;
  }

  // ---------------------------------------------------------------- columns

  /** Which kept columns are inputs and targets (indices after time columns are dropped). */
  private static final class Columns {
    int[] inputs;
    int[] targets; // regression: the last column; forecasting: the target columns; else empty
    List<String> inputNames;
    List<String> targetNames;
  }

  private static Columns resolveColumns(DatasetSpec spec, Map<DataFile, CsvTable> tables) {
    CsvTable ref = null;
    for (CsvTable t : tables.values()) {
      if (ref == null) {
        ref = t;
      } else if (t.cols() != ref.cols()) {
        throw new DatasetException(t.file, t.firstLine,
            "has " + t.cols() + " data column(s) " + t.names + " but " + ref.relativeName + " has " + ref.cols() + " "
                + ref.names + " (time columns not counted).",
            "give every file of the dataset the same columns in the same order.");
      }
    }
    Columns c = new Columns();
    int n = ref.cols();
    Task task = spec.task();
    if (!spec.inputColumns().isEmpty()) {
      c.inputs = new int[spec.inputColumns().size()];
      for (int i = 0; i < c.inputs.length; i++) c.inputs[i] = resolveColumn(spec.inputColumns().get(i), "input column", tables);
    } else {
      int available = task == Task.REGRESSION ? n - 1 : n;
      int count = spec.variables() == 0 ? available : spec.variables();
      if (task == Task.REGRESSION && available < 1) {
        throw new DatasetException(ref.file, ref.firstLine,
            "has a single data column; regression needs input columns and the target in the last column.",
            "add the input signals as columns before the target.");
      }
      if (count > available) {
        throw new DatasetException(ref.file, ref.firstLine,
            "has " + available + " usable input column(s) " + ref.names.subList(0, available)
                + (task == Task.REGRESSION ? " (the last column, " + ref.names.get(n - 1) + ", is the target)" : "")
                + " but variables=" + count + " asks for " + count + ".",
            "set variables to at most " + available + " (0 = all), or add the missing columns.");
      }
      c.inputs = new int[count];
      for (int i = 0; i < count; i++) c.inputs[i] = i;
    }
    if (task == Task.REGRESSION) {
      c.targets = new int[] {n - 1};
      for (int in : c.inputs) {
        if (in == n - 1) {
          throw new DatasetException(ref.file, ref.firstLine,
              "is asked to use its last column (" + ref.names.get(n - 1) + ") as an input, but for regression that is the target.",
              "remove it from the input columns.");
        }
      }
    } else if (task == Task.FORECASTING) {
      if (spec.targetVariables().isEmpty()) {
        c.targets = new int[n];
        for (int i = 0; i < n; i++) c.targets[i] = i;
      } else {
        c.targets = new int[spec.targetVariables().size()];
        for (int i = 0; i < c.targets.length; i++) c.targets[i] = resolveColumn(spec.targetVariables().get(i), "target variable", tables);
      }
    } else {
      c.targets = new int[0];
    }
    c.inputNames = new ArrayList<>();
    for (int i : c.inputs) c.inputNames.add(ref.names.get(i));
    c.targetNames = new ArrayList<>();
    for (int i : c.targets) c.targetNames.add(ref.names.get(i));
    return c;
  }

  /** A column given as a 0-based index (after time columns) or a header name, checked in every file. */
  private static int resolveColumn(String spec, String what, Map<DataFile, CsvTable> tables) {
    String s = spec.trim();
    boolean isIndex = !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    int index = -1;
    for (CsvTable t : tables.values()) {
      int i;
      if (isIndex) {
        i = s.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(s);
        if (i >= t.cols()) {
          throw new DatasetException(t.file, t.firstLine,
              "has no " + what + " " + s + ": its columns are 0.." + (t.cols() - 1) + " " + t.names + " (time columns not counted).",
              "use an index in that range or the column's header name.");
        }
      } else {
        if (!t.hasHeader) {
          throw new DatasetException(t.file, t.firstLine,
              "has no header row, so the " + what + " \"" + s + "\" cannot be found by name.",
              "give its 0-based column index instead, or add a header row to every file.");
        }
        i = t.names.indexOf(s);
        if (i < 0) {
          throw new DatasetException(t.file, t.firstLine,
              "has no column named \"" + s + "\" (" + what + "); its columns are " + t.names + " (time columns are dropped).",
              "use one of those names (exact spelling) or a 0-based index.");
        }
      }
      if (index >= 0 && i != index) {
        throw new DatasetException(t.file, t.firstLine,
            "has column \"" + s + "\" at position " + i + " while other files have it at " + index + ".",
            "give every file the same columns in the same order.");
      }
      index = i;
    }
    return index;
  }

  // ---------------------------------------------------------------- statistics

  private static Normalization fit(List<CsvTable> train, Columns cols) {
    double[][] in = stats(train, cols.inputs);
    double[][] tg = stats(train, cols.targets);
    return new Normalization(cols.inputNames, in[0], in[1], cols.targetNames, tg[0], tg[1]);
  }

  /** Mean and std per column over all rows of the given tables (two passes, for accuracy). */
  private static double[][] stats(List<CsvTable> tables, int[] columns) {
    double[] mean = new double[columns.length];
    double[] std = new double[columns.length];
    for (int k = 0; k < columns.length; k++) {
      long n = 0;
      double sum = 0;
      for (CsvTable t : tables) {
        for (double v : t.columns[columns[k]]) sum += v;
        n += t.rows();
      }
      double m = sum / n;
      double ss = 0;
      for (CsvTable t : tables) {
        for (double v : t.columns[columns[k]]) ss += (v - m) * (v - m);
      }
      mean[k] = m;
      std[k] = Normalization.safeStd(ss / n);
    }
    return new double[][] {mean, std};
  }

  // ---------------------------------------------------------------- windows

  private static Split window(String name, List<DataFile> files, Map<DataFile, CsvTable> tables, DatasetSpec spec,
      Columns cols, Normalization norm, List<String> classNames) {
    Task task = spec.task();
    int frame = spec.frameSize();
    int stride = spec.stride();
    int horizon = task == Task.FORECASTING ? spec.forecastHorizon() : 0;
    int need = frame + horizon;
    int total = 0;
    for (DataFile f : files) {
      CsvTable t = tables.get(f);
      if (t.rows() < need) {
        String what = task == Task.FORECASTING
            ? "frame_size=" + frame + " plus forecast_horizon=" + horizon + " = " + need
            : "frame_size=" + frame;
        throw new DatasetException(t.file, t.lines[t.rows() - 1],
            "has " + t.rows() + " data row(s) (" + t.lineRange() + "), fewer than one window needs (" + what + ").",
            "record a longer run, lower frame_size, or remove this file from the dataset.");
      }
      total += (t.rows() - need) / stride + 1;
    }
    int c = cols.inputs.length;
    int tc = cols.targets.length;
    long size = (long) total * c * frame;
    if (size > Integer.MAX_VALUE - 8) {
      throw new DatasetException("The " + name + " split would hold " + total + " windows of " + c + "x" + frame
          + " values, more than one tensor can hold (2^31). To fix: raise stride_size or lower frame_size.");
    }
    double[] x = new double[(int) size];
    double[] y;
    int[] targetShape;
    switch (task) {
      case REGRESSION:
        y = new double[total];
        targetShape = new int[] {total, 1};
        break;
      case FORECASTING:
        y = new double[total * horizon * tc];
        targetShape = new int[] {total, horizon * tc};
        break;
      case CLASSIFICATION:
        y = new double[total];
        targetShape = new int[] {total};
        break;
      default:
        y = null;
        targetShape = null;
        break;
    }
    int[] labels = task == Task.CLASSIFICATION || task == Task.ANOMALY ? new int[total] : null;
    List<WindowSource> sources = new ArrayList<>(total);
    double[] mean = norm.inputMean();
    double[] std = norm.inputStd();
    double[] tMean = norm.targetMean();
    double[] tStd = norm.targetStd();
    int w = 0;
    for (DataFile f : files) {
      CsvTable t = tables.get(f);
      int label = task == Task.CLASSIFICATION ? classNames.indexOf(f.label) : (ANOMALY.equals(f.label) ? 1 : 0);
      for (int start = 0; start + need <= t.rows(); start += stride, w++) {
        for (int ch = 0; ch < c; ch++) {
          double[] col = t.columns[cols.inputs[ch]];
          int base = (w * c + ch) * frame;
          for (int i = 0; i < frame; i++) x[base + i] = (col[start + i] - mean[ch]) / std[ch];
        }
        if (task == Task.REGRESSION) {
          double[] col = t.columns[cols.targets[0]];
          double s = 0;
          for (int i = 0; i < frame; i++) s += col[start + i];
          y[w] = (s / frame - tMean[0]) / tStd[0];
        } else if (task == Task.FORECASTING) {
          for (int h = 0; h < horizon; h++) {
            for (int k = 0; k < tc; k++) {
              y[(w * horizon + h) * tc + k] = (t.columns[cols.targets[k]][start + frame + h] - tMean[k]) / tStd[k];
            }
          }
        } else if (task == Task.CLASSIFICATION) {
          y[w] = label;
        }
        if (labels != null) labels[w] = label;
        sources.add(new WindowSource(t.relativeName, t.lines[start]));
      }
    }
    Tensor inputs = new Tensor(new int[] {total, c, frame, 1}, x);
    Tensor targets = task == Task.ANOMALY ? inputs : new Tensor(targetShape, y);
    return new Split(name, task, inputs, targets, labels, sources);
  }
}
