package io.edgeamp.hil.board;

import io.edgeamp.hil.HilConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** All boards of this server: real ones from the hardware map, QEMU ones created from profiles. */
public final class BoardRegistry {
  private final Map<String, Board> boards = new LinkedHashMap<>();
  private final MachineTable machines;

  /** @param hardwareMap the real boards, loaded and checked before the server created anything; null for none */
  public BoardRegistry(HilConfig cfg, HardwareMap hardwareMap, MachineTable machines, Consumer<Board> onChange) {
    this.machines = machines;
    if (hardwareMap != null) {
      for (HardwareMap.Entry e : hardwareMap.boards) {
        Set<String> tags = new HashSet<>(e.tags);
        tags.add("real");
        boards.put(e.id, new Board(e.id, e.profile, "command", tags, null, e, onChange));
      }
    }
    for (Map.Entry<String, Integer> q : cfg.qemuBoards.entrySet()) {
      QemuMachine m = machines.lookup(q.getKey())
          .orElseThrow(() -> new IllegalArgumentException("unknown emulated profile " + q.getKey() + "; known: " + known()));
      for (int i = 0; i < q.getValue(); i++) {
        String id = cfg.boardIdPrefix + m.profile + "-" + i;
        Set<String> tags = Set.of("qemu", m.machine, m.cpu);
        boards.put(id, new Board(id, m.profile, "qemu", tags, m, null, onChange));
      }
    }
  }

  private String known() {
    List<String> l = new ArrayList<>();
    for (QemuMachine m : machines.all()) {
      l.add(m.profile);
    }
    return String.join(", ", l);
  }

  public MachineTable machines() {
    return machines;
  }

  public synchronized Collection<Board> all() {
    return List.copyOf(boards.values());
  }

  public synchronized Optional<Board> get(String id) {
    return Optional.ofNullable(boards.get(id));
  }

  /** Boards a request can use (by id, profile and tags), in registry order. */
  public synchronized List<Board> matching(String boardId, String profile, List<String> tags) {
    List<Board> out = new ArrayList<>();
    for (Board b : boards.values()) {
      if (b.matches(boardId, profile, tags)) {
        out.add(b);
      }
    }
    return out;
  }
}
