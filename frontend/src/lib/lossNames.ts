// How the page names each loss: a short label for table headers, a longer one for captions.

export interface LossName {
  short: string;
  long: string;
}

const NAMES: Record<string, LossName> = {
  bce: { short: "BCE", long: "binary cross-entropy" },
  bce_naive: { short: "BCE, naive", long: "binary cross-entropy (naive)" },
  cross_entropy: { short: "CE", long: "cross-entropy" },
  cross_entropy_naive: { short: "CE, naive", long: "cross-entropy (naive)" },
  mse: { short: "MSE", long: "mean squared error" },
};

/** The names of loss `name` (a catalog name); an unknown one is shown as it is. */
export function lossName(name: string | null | undefined): LossName {
  if (!name) return { short: "loss", long: "loss" };
  return NAMES[name] ?? { short: name, long: name.replaceAll("_", " ") };
}
