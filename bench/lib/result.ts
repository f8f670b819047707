// One benchmark's figure: value against a floor measured in the same run, and the goal for the ratio (or value).
export type BenchResult = {
  value: number;
  floor: number;
  ratio: number;
  /** Human-readable goal, e.g. ">= 0.5" (on ratio unless `goalOn` says value). */
  goal: string;
  /** Whether the goal was met (informational: a miss never fails the run). */
  met: boolean;
  unit: string;
  [extra: string]: unknown;
};

export type BenchContext = {
  /** Admin connection URL of the bench database. */
  databaseUrl: string;
  log: (line: string) => void;
};
