/** The report's data model: what each input (a training run or a result file) contributes. */

/** What a number was computed from, so the page can say whether two numbers are comparable. */
export interface Provenance {
  /** Feature extractor (results of image folders), or the feature file's kind. */
  readonly extractor?: string;
  /** Short hash of the extractor's weights, when its name carries one. */
  readonly weights?: string;
  /** Feature dimensions (results: `dims` of the FID computation). */
  readonly dims?: string;
  /** Image preprocessing profile (clean, pytorch-fid, …). */
  readonly profile?: string;
  /** Sample counts, e.g. "10000 / 10000" (real / generated; runs: reference / generated per evaluation). */
  readonly n?: string;
  /** Seeds of the computation (training seed, KID subsets, IS shuffle). */
  readonly seeds?: string;
  /** Training data set (runs) or the reference (real) input as named in the result. */
  readonly data?: string;
  /**
   * SHA-256 of the data's content where it was recorded (a result's `inputs[0].sha256`, a run's
   * `data.sha256`): two entries that both have one compare it instead of `data`, so the same set
   * at two paths matches and a changed folder at one path does not.
   */
  readonly dataSha256?: string;
}

/** One point of a metric's history. */
export interface SeriesPoint {
  readonly step: number;
  readonly metric: string;
  readonly value: number | null;
}

/** The latest generated 2-D points of a run, with the true modes when the data has them. */
export interface PointSamples {
  readonly step: number;
  /** Flat x, y pairs (possibly thinned for the page). */
  readonly xy: Float32Array;
  /** Points in the file (before thinning). */
  readonly total: number;
  /** Points of the file with a NaN or ±∞ coordinate (a diverged model's). */
  readonly nonFinite: number;
  /** K × 2 mode centres, flat, and the modes' σ, when the data set is a mixture. */
  readonly modes?: { readonly centres: Float64Array; readonly sigma: number };
  /** Points per mode within 3σ, for every samples/step-N.npy (mixtures only). */
  readonly histogram: readonly { readonly step: number; readonly counts: readonly number[]; readonly total: number }[];
}

/** A PNG sample image, embedded as a data: URL. */
export interface SampleImage {
  readonly name: string;
  readonly dataUrl: string;
}

/**
 * An image run's latest condition grid (samples/step-N-condition.png), with what its rows and
 * columns show as config.json's `conditionGrid` records them (absent: not recorded).
 */
export interface ConditionGridImage extends SampleImage {
  readonly step: number;
  /** One entry per row of images, top to bottom. */
  readonly rows?: readonly string[];
  readonly columns?: string;
}

/** A run's baseline (config.json `baselines`): its name, what it is, its value of each metric key. */
export interface ReportBaseline {
  readonly name: string;
  readonly label: string;
  readonly metrics: Readonly<Record<string, number | null>>;
}

/** One row of the report. */
export interface ReportEntry {
  readonly kind: 'run' | 'result';
  /** Unique label (the run folder's or the result file's name). */
  readonly label: string;
  /** The path given (or found) on the command line. */
  readonly path: string;
  readonly model?: string;
  readonly data?: string;
  readonly steps?: number;
  /** Training seconds (evaluation excluded). */
  readonly wallSeconds?: number;
  readonly backend?: string;
  /** Final values by key, spreads (kid_std…) included; null where the run recorded null. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Every metrics.jsonl record (runs); empty for results. */
  readonly series: readonly SeriesPoint[];
  readonly provenance: Provenance;
  readonly points?: PointSamples;
  readonly images: readonly SampleImage[];
  /** Image runs of a conditioned family: the latest condition grid, shown beside the sample grid. */
  readonly conditionGrid?: ConditionGridImage;
  /**
   * Runs that measured a fixed method on their held-out data (config.json `baselines`: a
   * super-resolution run's bicubic upsampling): drawn as reference lines on the charts and listed
   * on the run's card, never ranked in the table.
   */
  readonly baselines?: readonly ReportBaseline[];
  /** Remarks shown with the entry (interrupted, still running…). */
  readonly notes: readonly string[];
  /** Set when training recorded that the run diverged (summary.json `diverged`): its values are never ranked. */
  readonly diverged?: { readonly step: number; readonly reason: string };
}
