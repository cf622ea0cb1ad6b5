/** One figure printed by `npm run bench`. Ratios are measured within one run (the machine is shared and noisy). */
export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export type Bench = () => Promise<BenchLine[]>;
