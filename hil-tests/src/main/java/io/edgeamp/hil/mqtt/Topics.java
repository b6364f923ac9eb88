package io.edgeamp.hil.mqtt;

/** The MQTT topics of DESIGN.md "MQTT" (version v1). */
public final class Topics {
  private final String base;

  public Topics(String site) {
    this.base = "edgeamp/v1/" + site + "/";
  }

  public String boardStatus(String board) {
    return base + "boards/" + board + "/status";
  }

  public String boardTelemetry(String board) {
    return base + "boards/" + board + "/telemetry";
  }

  public String jobEvents(String job) {
    return base + "jobs/" + job + "/events";
  }

  public String jobResult(String job) {
    return base + "jobs/" + job + "/result";
  }

  /** Where clients publish job submissions. */
  public String submit() {
    return base + "jobs/submit";
  }

  /**
   * What servers subscribe to: with {@code shared}, the MQTT 5 shared subscription of the group "hil"
   * (SubmissionSubscriberV5), so the broker hands each submission to one HIL server of the site; else
   * the plain topic (the embedded broker, one server).
   */
  public String submitSubscription(boolean shared) {
    return shared ? "$share/hil/" + submit() : submit();
  }

  /** Presence of one server process (LWT offline). */
  public String serverStatus(String server) {
    return base + "servers/" + server + "/status";
  }
}
