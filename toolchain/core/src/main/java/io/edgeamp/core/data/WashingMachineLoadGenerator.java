package io.edgeamp.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Regression: washing-machine load weighing from the drive's own signals, as in Tensorlab's
 * {@code reg_washing_machine} example (6 channels Vd, Id, Vq, Iq, Iqref, Speed; frame 512).
 *
 * <p><b>Physics.</b> A direct-drive PMSM (p = 24 pole pairs, flux linkage λ = 0.03 Wb, so torque
 * constant Kt = 1.5·p·λ = 1.08 Nm/A; Rs ≈ 1.6 Ω, Ld = Lq = 8 mH) turns a drum of inertia J0 ≈ 0.25
 * kg·m² holding wet laundry of unknown mass m (0..8 kg) at an effective radius of 0.22 m. The drum
 * runs the load-sensing profile: an acceleration ramp from rest to ω_hi (7..9 rad/s), then a triangle
 * between ω_lo and ω_hi at the same acceleration a (15..25 rad/s²), so every 512-sample window holds
 * both accelerating and braking. Mechanics, integrated at 1 kHz:
 *
 * <pre>
 *   (J0 + m r²) dω/dt = Kt·iq − Tc·tanh(ω/0.05) − B·ω − m_u·g·r_u·cos(θ)
 * </pre>
 *
 * with Coulomb friction Tc = 0.35 + 0.045·m Nm (bearings carry the load), viscous B ≈ 0.03 Nm·s/rad,
 * and an unbalance ripple from a lump m_u = 2..12 % of the load at r_u = 0.24 m. A PI speed controller
 * (with feed-forward of the empty drum's inertia only, since the load is unknown) sets Iqref; the
 * current loop follows with a 2 ms lag; Id is held near 0. Voltages follow the dq model
 * {@code vd = Rs·id + L·did/dt − ωe·L·iq}, {@code vq = Rs·iq + L·diq/dt + ωe·(L·id + λ)}, ωe = p·ω.
 * The load shows up as the extra current needed to accelerate and brake (J0 + m r²) and as friction.
 * Sensor noise: speed 0.02 rad/s, currents 0.05 A, voltages 0.3 V; each file also varies J0 (±3 %),
 * Rs (±5 %, winding temperature) and friction (±15 %) so the model cannot just read one parameter.
 *
 * <p><b>Files.</b> {@code files/wm_NNN.csv}: {@code time_s} (dropped by the loader), {@code Vd_V,
 * Id_A, Vq_V, Iq_A, Iqref_A, speed_rpm} (the 6 inputs), {@code load_kg} (target, constant per file,
 * 0.1 kg steps). 12,288 rows per file at 1 kHz (Tensorlab's files average 12,300 points); the default
 * 54 files give 32 training files x 93 windows = 2,976 training windows at frame 512, stride 0.25.
 */
final class WashingMachineLoadGenerator {
  static final int DEFAULT_FILES = 54;
  static final int ROWS = 12_288;
  static final double DT = 1e-3;
  static final List<String> HEADER = List.of("time_s", "Vd_V", "Id_A", "Vq_V", "Iq_A", "Iqref_A", "speed_rpm", "load_kg");
  private static final int[] DECIMALS = {3, 3, 4, 3, 4, 4, 2, 1};

  // Motor and drum (nominal).
  static final int POLE_PAIRS = 24;
  static final double FLUX = 0.03;
  static final double KT = 1.5 * POLE_PAIRS * FLUX;
  static final double L = 8e-3;
  static final double J0 = 0.25;
  static final double R_LOAD = 0.22;
  static final double G = 9.81;

  private WashingMachineLoadGenerator() {}

  static void write(Path root, long seed, int files) {
    for (int f = 0; f < files; f++) {
      Random rnd = SynthCsv.rng(seed, f);
      double load = Math.round(rnd.nextDouble() * 80) / 10.0;
      double[][] cols = simulate(rnd, load);
      SynthCsv.write(root.resolve("files").resolve(String.format("wm_%03d.csv", f)), HEADER, cols, DECIMALS);
    }
  }

  /** One run: returns the columns of {@link #HEADER}. */
  static double[][] simulate(Random rnd, double load) {
    double j0 = J0 * uniform(rnd, 0.97, 1.03);
    double j = j0 + load * R_LOAD * R_LOAD;
    double rs = 1.6 * uniform(rnd, 0.95, 1.05);
    double tc = (0.35 + 0.045 * load) * uniform(rnd, 0.85, 1.15);
    double b = 0.03 * uniform(rnd, 0.8, 1.2);
    double mu = load * uniform(rnd, 0.02, 0.12);
    double phase = rnd.nextDouble() * 2 * Math.PI;
    double accel = uniform(rnd, 15, 25);
    double wHi = uniform(rnd, 7, 9);
    double wLo = wHi - accel * uniform(rnd, 0.12, 0.22);

    // Controller: PI on speed, feed-forward with the nominal empty-drum inertia.
    final double kp = 6.0;
    final double ki = 60.0;
    final double iMax = 20.0;
    final double tauI = 2e-3;

    double[] time = new double[ROWS];
    double[] vdC = new double[ROWS];
    double[] idC = new double[ROWS];
    double[] vqC = new double[ROWS];
    double[] iqC = new double[ROWS];
    double[] iqrefC = new double[ROWS];
    double[] rpmC = new double[ROWS];
    double[] loadC = new double[ROWS];

    double w = 0;
    double theta = 0;
    double iq = 0;
    double id = 0;
    double integ = 0;
    double idDist = 0;
    double wRef = 0;
    boolean rising = true;
    for (int k = 0; k < ROWS; k++) {
      double t = k * DT;
      // Reference profile: ramp from rest to wHi, then a triangle between wLo and wHi.
      double wPrev = wRef;
      if (rising) {
        wRef += accel * DT;
        if (wRef >= wHi) {
          wRef = wHi;
          rising = false;
        }
      } else {
        wRef -= accel * DT;
        if (wRef <= wLo) {
          wRef = wLo;
          rising = true;
        }
      }
      double dwRef = (wRef - wPrev) / DT;

      double wMeas = w + 0.02 * rnd.nextGaussian();
      double err = wRef - wMeas;
      double ff = J0 * dwRef / KT;
      double iqRef = kp * err + integ + ff;
      if (Math.abs(iqRef) < iMax) {
        integ += ki * err * DT; // anti-windup: integrate only while not saturated
      }
      iqRef = Math.max(-iMax, Math.min(iMax, iqRef));

      double iqPrev = iq;
      double idPrev = id;
      iq += (iqRef - iq) * DT / tauI;
      idDist = 0.98 * idDist + 0.02 * rnd.nextGaussian(); // residual d-axis ripple of the current loop
      id += (idDist - id) * DT / tauI;

      double torque = KT * iq - tc * Math.tanh(w / 0.05) - b * w - mu * G * 0.24 * Math.cos(theta + phase);
      w += torque / j * DT;
      theta += w * DT;

      double we = POLE_PAIRS * w;
      double vd = rs * id + L * (id - idPrev) / DT - we * L * iq;
      double vq = rs * iq + L * (iq - iqPrev) / DT + we * (L * id + FLUX);

      time[k] = t;
      vdC[k] = vd + 0.3 * rnd.nextGaussian();
      idC[k] = id + 0.05 * rnd.nextGaussian();
      vqC[k] = vq + 0.3 * rnd.nextGaussian();
      iqC[k] = iq + 0.05 * rnd.nextGaussian();
      iqrefC[k] = iqRef;
      rpmC[k] = wMeas * 60 / (2 * Math.PI);
      loadC[k] = load;
    }
    return new double[][] {time, vdC, idC, vqC, iqC, iqrefC, rpmC, loadC};
  }

  static double uniform(Random rnd, double lo, double hi) {
    return lo + (hi - lo) * rnd.nextDouble();
  }
}
