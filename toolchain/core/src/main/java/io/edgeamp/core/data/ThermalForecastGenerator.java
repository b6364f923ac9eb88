package io.edgeamp.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Forecasting: the indoor temperature of a heated building zone, with daily periodicity, a weekly
 * occupancy pattern and a seasonal drift, as in Tensorlab's HVAC indoor-temperature example
 * (inputs include the target's own history).
 *
 * <p><b>Physics.</b> A single-zone RC model, integrated every 15 minutes:
 *
 * <pre>
 *   C dT_in/dt = (T_out − T_in)/R + P_hvac + A·S + Q_int
 * </pre>
 *
 * with heat capacity C = 8 kWh/K and envelope resistance R = 5 K/kW (time constant 40 h), both ±15 %
 * per file. Outdoor temperature: a per-file mean (−2..10 °C) plus a seasonal drift (±0.3 °C/day), a
 * daily cycle peaking at 15:00 (amplitude 3..7 °C) and AR(1) weather noise. Solar irradiance S follows
 * the sun between 06:00 and 18:00 with a per-day cloudiness; A = 4 m² effective window area. Internal
 * gains Q_int are 0.4 kW in office hours on weekdays, 0.1 kW otherwise. The heating controller is
 * PI (3 kW/K, 0.5 kW/(K·h), max 10 kW) towards 21 °C from 06:00 to 22:00 and 17 °C at night, so the indoor
 * temperature swings daily with setback and recovery. Sensor noise 0.05 °C indoor, 0.1 °C outdoor.
 *
 * <p><b>Files.</b> {@code files/zone_NNN.csv} with {@code time_h} (dropped), {@code outdoor_temp_c,
 * solar_w_m2, hvac_kw, indoor_temp_c}; 2,016 rows (21 days at 15 min). Forecast target
 * {@code indoor_temp_c}; with frame 64 (16 h), stride 0.1 and horizon 4 (1 h), the default 12 files give
 * 7 training files x 325 windows = 2,275 training windows.
 */
final class ThermalForecastGenerator {
  static final int DEFAULT_FILES = 12;
  static final int ROWS = 2016;
  static final double DT_H = 0.25;
  static final String TARGET = "indoor_temp_c";
  static final double P_MAX = 10;
  static final List<String> HEADER = List.of("time_h", "outdoor_temp_c", "solar_w_m2", "hvac_kw", TARGET);
  private static final int[] DECIMALS = {2, 2, 1, 3, 3};

  private ThermalForecastGenerator() {}

  static void write(Path root, long seed, int files) {
    for (int f = 0; f < files; f++) {
      Random rnd = SynthCsv.rng(seed, f);
      SynthCsv.write(root.resolve("files").resolve(String.format("zone_%03d.csv", f)), HEADER, simulate(rnd), DECIMALS);
    }
  }

  static double[][] simulate(Random rnd) {
    double c = 8 * WashingMachineLoadGenerator.uniform(rnd, 0.85, 1.15);
    double r = 5 * WashingMachineLoadGenerator.uniform(rnd, 0.85, 1.15);
    double mean = WashingMachineLoadGenerator.uniform(rnd, -2, 10);
    double drift = WashingMachineLoadGenerator.uniform(rnd, -0.3, 0.3);
    double amp = WashingMachineLoadGenerator.uniform(rnd, 3, 7);
    double sPeak = WashingMachineLoadGenerator.uniform(rnd, 300, 700);
    int startDay = rnd.nextInt(7);
    double[] t = new double[ROWS];
    double[] out = new double[ROWS];
    double[] sol = new double[ROWS];
    double[] hvac = new double[ROWS];
    double[] in = new double[ROWS];
    double weather = 0;
    double cloud = WashingMachineLoadGenerator.uniform(rnd, 0.3, 1);
    double tin = 19 + rnd.nextGaussian();
    double integ = 2;
    for (int k = 0; k < ROWS; k++) {
      double h = k * DT_H;
      double hourOfDay = h % 24;
      int day = (int) (h / 24);
      if (k > 0 && hourOfDay == 0) cloud = 0.7 * cloud + 0.3 * WashingMachineLoadGenerator.uniform(rnd, 0.2, 1);
      weather = 0.98 * weather + 0.15 * rnd.nextGaussian();
      double tout = mean + drift * h / 24 + amp * Math.cos(2 * Math.PI * (hourOfDay - 15) / 24) + weather;
      double s = hourOfDay > 6 && hourOfDay < 18 ? sPeak * cloud * Math.sin(Math.PI * (hourOfDay - 6) / 12) : 0;
      boolean weekday = (startDay + day) % 7 < 5;
      double qInt = weekday && hourOfDay >= 8 && hourOfDay < 18 ? 0.4 : 0.1;
      double setpoint = hourOfDay >= 6 && hourOfDay < 22 ? 21 : 17;
      double tinMeas = tin + 0.05 * rnd.nextGaussian();
      double err = setpoint - tinMeas;
      double p = 3 * err + integ;
      if (p > 0 && p < P_MAX) integ += 0.5 * err * DT_H; // anti-windup: integrate only while not saturated
      p = Math.max(0, Math.min(P_MAX, p));
      t[k] = h;
      out[k] = tout + 0.1 * rnd.nextGaussian();
      sol[k] = s;
      hvac[k] = p > 0 ? Math.max(0, p + 0.02 * rnd.nextGaussian()) : 0;
      in[k] = tinMeas;
      tin += DT_H / c * ((tout - tin) / r + p + 4 * s / 1000 + qInt);
    }
    return new double[][] {t, out, sol, hvac, in};
  }
}
