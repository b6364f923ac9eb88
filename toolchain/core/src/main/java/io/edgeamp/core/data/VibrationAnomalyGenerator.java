package io.edgeamp.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Anomaly detection: normal vibration of a fan versus recordings with an injected fault, in the
 * {@code classes/Normal} and {@code classes/Anomaly} layout (training sees Normal only).
 *
 * <p><b>Physics.</b> A 6-blade fan runs at f_r = 20..30 Hz (the operating point varies per file). Its
 * normal 3-axis vibration is the sum of a residual 1x (unbalance), 2x, the blade-pass tone at 6x,
 * 100 Hz magnetic hum, broadband noise from turbulence, and a slow (0.3..0.8 Hz) amplitude modulation
 * of the blade-pass tone from inflow turbulence. Each Anomaly file carries one fault for its whole
 * length, cycling through:
 * <ul>
 *   <li>imbalance: 1x grows 3..6 times (a fouled or eroded blade);</li>
 *   <li>bearing defect: impacts at 3.1·f_r ringing a 700 Hz housing resonance;</li>
 *   <li>blade damage: one blade differs, so the blade-pass tone is modulated at 1x (sidebands at 6x ± 1x)
 *       and 1x rises;</li>
 *   <li>mechanical looseness: a 0.5x sub-harmonic, many harmonics and clipping of the response as the
 *       loose mount hits its stops;</li>
 *   <li>rub: once per revolution a short broadband burst where the blade touches the housing.</li>
 * </ul>
 *
 * <p><b>Files.</b> {@code classes/Normal/normal_NNN.csv}, {@code classes/Anomaly/<fault>_NNN.csv}, with
 * {@code time_s} (dropped), {@code vib_x_g, vib_y_g, vib_z_g}; 8,192 rows at 2 kHz. Default 40 files:
 * 30 Normal, 10 Anomaly.
 */
final class VibrationAnomalyGenerator {
  static final int DEFAULT_FILES = 40;
  static final int ROWS = 8192;
  static final double FS = 2000;
  static final List<String> FAULTS = List.of("imbalance", "bearing", "blade_damage", "looseness", "rub");
  static final List<String> HEADER = List.of("time_s", "vib_x_g", "vib_y_g", "vib_z_g");
  private static final int[] DECIMALS = {4, 5, 5, 5};

  private VibrationAnomalyGenerator() {}

  /** Three quarters Normal (at least one), the rest Anomaly. */
  static int anomalyFiles(int files) {
    return files < 2 ? 0 : Math.max(1, files / 4);
  }

  static void write(Path root, long seed, int files) {
    int anomalies = anomalyFiles(files);
    int normals = files - anomalies;
    for (int f = 0; f < files; f++) {
      Random rnd = SynthCsv.rng(seed, f);
      if (f < normals) {
        SynthCsv.write(root.resolve("classes/Normal").resolve(String.format("normal_%03d.csv", f)), HEADER,
            simulate(rnd, null), DECIMALS);
      } else {
        int a = f - normals;
        String fault = FAULTS.get(a % FAULTS.size());
        SynthCsv.write(root.resolve("classes/Anomaly").resolve(String.format("%s_%03d.csv", fault, a)), HEADER,
            simulate(rnd, fault), DECIMALS);
      }
    }
  }

  static double[][] simulate(Random rnd, String fault) {
    double fr = WashingMachineLoadGenerator.uniform(rnd, 20, 30);
    double a1 = WashingMachineLoadGenerator.uniform(rnd, 0.03, 0.06);
    double a2 = WashingMachineLoadGenerator.uniform(rnd, 0.01, 0.025);
    double bp = WashingMachineLoadGenerator.uniform(rnd, 0.03, 0.05);
    double noise = WashingMachineLoadGenerator.uniform(rnd, 0.015, 0.025);
    double fMod = WashingMachineLoadGenerator.uniform(rnd, 0.3, 0.8);
    double[] ph = new double[6];
    for (int i = 0; i < ph.length; i++) ph[i] = rnd.nextDouble() * 2 * Math.PI;
    double unbGain = "imbalance".equals(fault) ? WashingMachineLoadGenerator.uniform(rnd, 3, 6)
        : "blade_damage".equals(fault) ? 1.8 : 1;
    double bladeMod = "blade_damage".equals(fault) ? WashingMachineLoadGenerator.uniform(rnd, 0.4, 0.8) : 0;
    double impact = "bearing".equals(fault) ? WashingMachineLoadGenerator.uniform(rnd, 0.15, 0.35) : 0;
    boolean loose = "looseness".equals(fault);
    double rub = "rub".equals(fault) ? WashingMachineLoadGenerator.uniform(rnd, 0.15, 0.3) : 0;

    double[] t = new double[ROWS];
    double[] x = new double[ROWS];
    double[] y = new double[ROWS];
    double[] z = new double[ROWS];
    double nextImpact = rnd.nextDouble() / (3.1 * fr);
    double lastImpact = -1;
    for (int k = 0; k < ROWS; k++) {
      double tk = k / FS;
      double rot = 2 * Math.PI * fr * tk;
      double turb = 1 + 0.05 * Math.sin(2 * Math.PI * fMod * tk + ph[0]);
      double blade = bp * turb * (1 + bladeMod * Math.sin(rot + ph[1])) * Math.sin(6 * rot + ph[2]);
      double one = a1 * unbGain * Math.sin(rot + ph[3]);
      double two = a2 * Math.sin(2 * rot + ph[4]);
      double hum = 0.01 * Math.sin(2 * Math.PI * 100 * tk + ph[5]);
      double vx = one + two + blade + hum;
      double vy = a1 * unbGain * Math.cos(rot + ph[3]) + two + 0.8 * blade + hum;
      double vz = 0.3 * one + 0.5 * blade;
      if (impact > 0) {
        if (tk >= nextImpact) {
          lastImpact = nextImpact;
          nextImpact += 1 / (3.1 * fr) * (1 + 0.01 * rnd.nextGaussian());
        }
        if (lastImpact >= 0) {
          double d = tk - lastImpact;
          double ring = impact * Math.exp(-d / 2e-3) * Math.sin(2 * Math.PI * 700 * d);
          vx += 0.5 * ring;
          vy += ring;
          vz += 0.3 * ring;
        }
      }
      if (loose) {
        double sub = 0.6 * a1 * Math.sin(0.5 * rot);
        double harm = 0;
        for (int h = 3; h <= 10; h++) harm += 0.25 * a1 / h * Math.sin(h * rot + h);
        vx += sub + harm;
        vy = clip(vy + 1.5 * sub + harm, 0.06);
      }
      if (rub > 0) {
        double cyc = (fr * tk) % 1.0;
        if (cyc < 0.04) {
          double burst = rub * rnd.nextGaussian();
          vx += burst;
          vy += 0.7 * burst;
          vz += 0.4 * burst;
        }
      }
      t[k] = tk;
      x[k] = vx + noise * rnd.nextGaussian();
      y[k] = vy + noise * rnd.nextGaussian();
      z[k] = vz + noise * rnd.nextGaussian();
    }
    return new double[][] {t, x, y, z};
  }

  private static double clip(double v, double limit) {
    return Math.max(-limit, Math.min(limit, v));
  }
}
