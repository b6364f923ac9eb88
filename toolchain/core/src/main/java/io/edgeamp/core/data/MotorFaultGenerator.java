package io.edgeamp.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Classification: motor fault classes from a 3-axis accelerometer on the bearing housing and one
 * phase current, as in Tensorlab's motor-bearing-fault example.
 *
 * <p><b>Physics.</b> A 4-pole induction motor on a 50 Hz supply turns at f_r = 25·(1 − s) Hz with slip
 * s = 1..5 % (load-dependent, random per file). Every class shares a healthy baseline: a small residual
 * unbalance at 1x, some 2x, the magnetic 2·f_line (100 Hz) hum, broadband structural noise (x and y
 * are radial, z axial) and a phase current of a few amps at 50 Hz with a 3 % third harmonic. Faults add:
 * <ul>
 *   <li>{@code imbalance}: a rotating force at 1x, so x and y see a 1x sine 90 degrees apart
 *       (0.08..0.25 g), and the air-gap eccentricity modulates the current, giving sidebands at
 *       f_line ± f_r;</li>
 *   <li>{@code misalignment}: a strong 2x radial component and 1x in the axial (z) direction, the
 *       classic shaft-misalignment signature;</li>
 *   <li>{@code bearing_fault} (outer race): an impact each time a ball passes the defect, at BPFO =
 *       (N/2)·f_r·(1 − (d/D)·cos φ) with N = 8 balls, d/D = 0.3 (≈ 2.8·f_r), each impact ringing the
 *       housing resonance (1.1..1.5 kHz, 1.5 ms decay) mainly in the load direction (y); the torque
 *       ripple adds faint current sidebands at f_line ± BPFO.</li>
 * </ul>
 *
 * <p><b>Files.</b> {@code classes/<class>/<class>_NNN.csv} with {@code time_s} (dropped),
 * {@code vib_x_g, vib_y_g, vib_z_g, current_a_A}; 8,192 rows at 4 kHz (about 2 s). The default 48 files
 * (12 per class) give 48 x 63 = 3,024 windows at frame 256, stride 0.5.
 */
final class MotorFaultGenerator {
  static final int DEFAULT_FILES = 48;
  static final int ROWS = 8192;
  static final double FS = 4000;
  static final List<String> CLASSES = List.of("healthy", "bearing_fault", "imbalance", "misalignment");
  static final List<String> HEADER = List.of("time_s", "vib_x_g", "vib_y_g", "vib_z_g", "current_a_A");
  private static final int[] DECIMALS = {5, 5, 5, 5, 4};

  private MotorFaultGenerator() {}

  static void write(Path root, long seed, int files) {
    for (int f = 0; f < files; f++) {
      String label = CLASSES.get(f % CLASSES.size());
      Random rnd = SynthCsv.rng(seed, f);
      double[][] cols = simulate(rnd, label);
      Path file = root.resolve("classes").resolve(label).resolve(String.format("%s_%03d.csv", label, f / CLASSES.size()));
      SynthCsv.write(file, HEADER, cols, DECIMALS);
    }
  }

  static double[][] simulate(Random rnd, String label) {
    double fLine = 50;
    double slip = WashingMachineLoadGenerator.uniform(rnd, 0.01, 0.05);
    double fr = 25 * (1 - slip);
    double loadFactor = (slip - 0.01) / 0.04; // 0..1
    double iAmp = 3 + 3 * loadFactor;
    double[] ph = new double[8];
    for (int i = 0; i < ph.length; i++) ph[i] = rnd.nextDouble() * 2 * Math.PI;
    double noise = WashingMachineLoadGenerator.uniform(rnd, 0.015, 0.03);
    double resid = WashingMachineLoadGenerator.uniform(rnd, 0.01, 0.04);

    double unb = 0;
    double mis2x = 0;
    double misAxial = 0;
    double bearingAmp = 0;
    double sideband = WashingMachineLoadGenerator.uniform(rnd, 0.0, 0.003);
    switch (label) {
      case "imbalance":
        unb = WashingMachineLoadGenerator.uniform(rnd, 0.08, 0.25);
        sideband += WashingMachineLoadGenerator.uniform(rnd, 0.005, 0.015);
        break;
      case "misalignment":
        mis2x = WashingMachineLoadGenerator.uniform(rnd, 0.06, 0.15);
        misAxial = WashingMachineLoadGenerator.uniform(rnd, 0.08, 0.2);
        sideband += WashingMachineLoadGenerator.uniform(rnd, 0.002, 0.006);
        break;
      case "bearing_fault":
        bearingAmp = WashingMachineLoadGenerator.uniform(rnd, 0.15, 0.5);
        break;
      default:
        break;
    }
    double bpfo = 8 / 2.0 * fr * (1 - 0.3);
    double fRes = WashingMachineLoadGenerator.uniform(rnd, 1100, 1500);
    double tau = 1.5e-3;

    double[] t = new double[ROWS];
    double[] x = new double[ROWS];
    double[] y = new double[ROWS];
    double[] z = new double[ROWS];
    double[] cur = new double[ROWS];
    // Bearing impacts: times with ±1 % jitter in the ball-pass interval (slip of the rolling elements).
    double nextImpact = rnd.nextDouble() / bpfo;
    double lastImpact = -1;
    double impactAmp = 0;
    for (int k = 0; k < ROWS; k++) {
      double tk = k / FS;
      double rot = 2 * Math.PI * fr * tk;
      double hum = 0.012 * Math.sin(2 * Math.PI * 2 * fLine * tk + ph[0]);
      double base1x = resid * Math.sin(rot + ph[1]);
      double base2x = 0.3 * resid * Math.sin(2 * rot + ph[2]);
      x[k] = base1x + base2x + hum + unb * Math.sin(rot + ph[3]) + mis2x * Math.sin(2 * rot + ph[4])
          + 0.4 * misAxial * Math.sin(rot + ph[5]) + noise * rnd.nextGaussian();
      y[k] = base1x * 0.8 + base2x + hum + unb * Math.cos(rot + ph[3]) + mis2x * Math.cos(2 * rot + ph[4])
          + noise * rnd.nextGaussian();
      z[k] = 0.3 * base1x + misAxial * Math.sin(rot + ph[6]) + 0.5 * hum + noise * rnd.nextGaussian();
      if (bearingAmp > 0) {
        if (tk >= nextImpact) {
          lastImpact = nextImpact;
          impactAmp = bearingAmp * WashingMachineLoadGenerator.uniform(rnd, 0.7, 1.3);
          nextImpact += (1 / bpfo) * (1 + 0.01 * rnd.nextGaussian());
        }
        if (lastImpact >= 0) {
          double dt = tk - lastImpact;
          double ring = impactAmp * Math.exp(-dt / tau) * Math.sin(2 * Math.PI * fRes * dt);
          y[k] += ring;
          x[k] += 0.4 * ring;
          z[k] += 0.2 * ring;
        }
      }
      double mod = 1 + sideband * Math.sin(rot + ph[7]) * 2
          + (bearingAmp > 0 ? 0.004 * Math.sin(2 * Math.PI * bpfo * tk) : 0);
      double line = 2 * Math.PI * fLine * tk;
      cur[k] = iAmp * mod * Math.sin(line) + 0.03 * iAmp * Math.sin(3 * line + ph[0]) + 0.02 * rnd.nextGaussian();
      t[k] = tk;
    }
    return new double[][] {t, x, y, z, cur};
  }
}
