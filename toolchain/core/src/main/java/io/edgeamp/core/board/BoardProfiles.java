package io.edgeamp.core.board;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.edgeamp.core.io.StrictYaml;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Loads board profiles ({@code board-profiles/<id>.yaml}; schema in {@code board-profiles/README.md}).
 *
 * <p>Parsing is Jackson's (YAML), with unknown keys, duplicate keys and type coercions (a string
 * where a number belongs, a float where an integer belongs) all failing; its errors are turned into
 * {@link BoardProfileException}s that name the file and the key path. Range and consistency checks
 * follow ({@link ProfileValidator}).
 *
 * <p>{@link #find(String)} and {@link #all()} search {@code $EDGEAMP_HOME/board-profiles} and then
 * {@code ./board-profiles}; a profile in an earlier folder hides one with the same id in a later one.
 * An instance with other folders ({@link #BoardProfiles(List)}) does the same over those.
 */
public final class BoardProfiles {
  private static final ObjectMapper MAPPER = StrictYaml.mapper();
  private static final String EMPTY = "the file is empty; see board-profiles/README.md for the keys";

  private final List<Path> searchPath;

  /** Searches the given folders, in order. */
  public BoardProfiles(List<Path> searchPath) {
    this.searchPath = List.copyOf(searchPath);
  }

  /** The default search path: {@code $EDGEAMP_HOME/board-profiles} (if set), then {@code ./board-profiles}. */
  public static BoardProfiles standard() {
    List<Path> dirs = new ArrayList<>();
    String home = System.getenv("EDGEAMP_HOME");
    if (home != null && !home.isBlank()) dirs.add(Path.of(home, "board-profiles"));
    dirs.add(Path.of("board-profiles"));
    return new BoardProfiles(dirs);
  }

  /** The profile with this id from the default search path; see {@link #get(String)}. */
  public static BoardProfile find(String id) {
    return standard().get(id);
  }

  /** Every profile on the default search path; see {@link #list()}. */
  public static List<BoardProfile> all() {
    return standard().list();
  }

  public List<Path> searchPath() {
    return searchPath;
  }

  /**
   * The profile with this id: the first {@code <id>.yaml} on the search path. An unknown id throws a
   * {@link BoardProfileException} listing the known ids and the folders searched.
   */
  public BoardProfile get(String id) {
    Objects.requireNonNull(id, "id");
    if (ProfileValidator.ID.matcher(id).matches()) {
      for (Path dir : searchPath) {
        Path f = dir.resolve(id + ".yaml");
        if (Files.isRegularFile(f)) return load(f);
      }
    }
    String known = ids().stream().collect(Collectors.joining(", "));
    throw new BoardProfileException(searchPath.stream().map(Path::toString).collect(Collectors.joining(", ")), "",
        "unknown board '" + id + "'; known boards: " + (known.isEmpty() ? "(none)" : known)
            + (known.isEmpty() ? " (is EDGEAMP_HOME set, or is there a ./board-profiles folder?)" : ""));
  }

  /** The ids of the profiles on the search path, sorted, without loading them. */
  public List<String> ids() {
    return new ArrayList<>(files().keySet());
  }

  /** Every profile on the search path, sorted by id. Throws on the first file that does not load. */
  public List<BoardProfile> list() {
    List<BoardProfile> out = new ArrayList<>();
    for (Path f : files().values()) out.add(load(f));
    return out;
  }

  private Map<String, Path> files() {
    Map<String, Path> byId = new TreeMap<>();
    for (Path dir : searchPath) {
      if (!Files.isDirectory(dir)) continue;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.yaml")) {
        for (Path f : ds) {
          String name = f.getFileName().toString();
          byId.putIfAbsent(name.substring(0, name.length() - ".yaml".length()), f);
        }
      } catch (IOException e) {
        throw new BoardProfileException(dir.toString(), "", "cannot list the folder: " + e.getMessage());
      }
    }
    return byId;
  }

  /** Reads and checks one profile file. */
  public static BoardProfile load(Path yaml) {
    String file = yaml.toString();
    ProfileYaml.Root root;
    try (Reader in = Files.newBufferedReader(yaml, StandardCharsets.UTF_8)) {
      root = MAPPER.readValue(in, ProfileYaml.Root.class);
    } catch (NoSuchFileException e) {
      throw new BoardProfileException(file, "", "no such file");
    } catch (JsonMappingException e) {
      if (e.getPath().isEmpty() && e instanceof MismatchedInputException && e.getProcessor() instanceof JsonParser
          && ((JsonParser) e.getProcessor()).currentToken() == null) {
        throw new BoardProfileException(file, "", EMPTY);
      }
      throw new BoardProfileException(file, keyPath(e), explain(e));
    } catch (JsonProcessingException e) {
      throw new BoardProfileException(file, "", "YAML syntax error" + where(e.getLocation()) + ": "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new BoardProfileException(file, "", "cannot read: " + e.getMessage());
    }
    if (root == null) throw new BoardProfileException(file, "", EMPTY);
    return new ProfileValidator(yaml).validate(root);
  }

  /** The key path of a Jackson error, YAML style: {@code npu.bits[1]}, {@code flasher.argv}. */
  static String keyPath(JsonMappingException e) {
    return StrictYaml.keyPath(e.getPath());
  }

  private static String explain(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException) {
      UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
      Collection<Object> known = u.getKnownPropertyIds();
      String allowed = known == null ? "" : known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
      return "unknown key '" + u.getPropertyName() + "'; allowed keys here: " + allowed
          + " (fix the spelling or remove it)";
    }
    if (e instanceof InvalidFormatException) {
      InvalidFormatException f = (InvalidFormatException) e;
      Object v = f.getValue();
      String got = v instanceof String ? "'" + v + "'" : String.valueOf(v);
      return "expected " + StrictYaml.typeName(f.getTargetType(), ProfileYaml.class) + ", got " + got + where(e.getLocation());
    }
    if (e instanceof MismatchedInputException) {
      MismatchedInputException mi = (MismatchedInputException) e;
      String got = "";
      if (mi.getProcessor() instanceof JsonParser) {
        JsonParser p = (JsonParser) mi.getProcessor();
        got = ", got " + StrictYaml.tokenName(p);
      }
      return "expected " + StrictYaml.typeName(mi.getTargetType(), ProfileYaml.class) + got + where(e.getLocation());
    }
    return e.getOriginalMessage().lines().findFirst().orElse("") + where(e.getLocation());
  }

  private static String where(JsonLocation loc) {
    return io.edgeamp.core.io.ParseErrors.where(loc);
  }

}
