// Readings of a bidirectional grid meter (SIM-grid) and a PV meter (SIM-pv) for the solar
// views, until the simulator has a PV profile: a house drawing 300-900 W, a roof making up to
// 4.5 kW by day under clouds that change from day to day. Each step's registers rise by the
// step's power, and what the roof makes goes first into the house, so import - export +
// production is the house's consumption in every interval.
import { appendFileSync, writeFileSync } from 'node:fs';

const HOUR = 3_600_000;

function house(t) {
  const h = ((t / HOUR) + 1) % 24;  // about local time in Zurich
  return 300 + (h > 6 && h < 22 ? 350 : 0) + 250 * Math.max(0, Math.sin(((h - 17) / 5) * Math.PI));
}

function roof(t) {
  const h = ((t / HOUR) + 1) % 24;
  const day = Math.floor(t / (24 * HOUR));
  const clouds = 0.25 + 0.75 * ((Math.sin(day * 12.9898) * 43758.5453) % 1 + 1) % 1;
  return h > 7.5 && h < 17 ? 4500 * clouds * Math.sin(((h - 7.5) / 9.5) * Math.PI) : 0;
}

export class SolarHome {
  constructor(t) { this.t = t; this.imp = 1200; this.exp = 300; this.pv = 2500; }

  /** The two CSV lines at the current time: time, meter, import kWh, export kWh, import W, export W. */
  lines() {
    const c = house(this.t);
    const p = roof(this.t);
    const kwh = (wh) => (wh / 1000).toFixed(6);
    return `${this.t},SIM-grid,${kwh(this.imp)},${kwh(this.exp)},${Math.max(0, c - p).toFixed(1)},${Math.max(0, p - c).toFixed(1)}\n`
      + `${this.t},SIM-pv,0,${kwh(this.pv)},0,${p.toFixed(1)}\n`;
  }

  /** Moves the registers on to `t`, a minute at most per step, each at the power at its start. */
  advance(t) {
    while (this.t < t) {
      const next = Math.min(t, this.t + 60_000);
      const c = house(this.t);
      const p = roof(this.t);
      const hours = (next - this.t) / HOUR;
      this.imp += Math.max(0, c - p) * hours;
      this.exp += Math.max(0, p - c) * hours;
      this.pv += p * hours;
      this.t = next;
    }
  }

  /** Readings every `step` ms from the current time to `to` into `file`. */
  history(file, to, step) {
    const rows = [];
    while (this.t <= to) {
      rows.push(this.lines());
      this.advance(this.t + step);
    }
    writeFileSync(file, rows.join(''));
  }

  /** One reading of each meter at `t` appended to `file`. */
  live(file, t) {
    this.advance(t);
    appendFileSync(file, this.lines());
  }
}
