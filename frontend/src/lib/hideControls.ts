// Controls a teacher's shared link hides (`#…&hide=optimizer,learning_rate`), as TensorFlow
// Playground's hide-controls list does: one style sheet, so a control hidden stays hidden when
// Svelte draws it again. A control is found by its data-testid; the field around it (the
// `<label>` that holds it) goes with it.

/** A name the link may hide -> what it is called, and the test ids of its elements
 * (a trailing `*` matches every id that starts so, e.g. each hidden layer's width). */
export const HIDEABLE_CONTROLS: Readonly<
  Record<string, { label: string; ids: readonly string[] }>
> = {
  dataset: {
    label: "Dataset",
    ids: ["dataset-select", "dataset-tile-*", "edit-data", "csv-upload-button"],
  },
  noise: { label: "Noise", ids: ["noise"] },
  points: { label: "Points and train share", ids: ["points", "train-fraction"] },
  seed: { label: "Seed", ids: ["seed", "new-seed"] },
  loss: { label: "Loss", ids: ["loss-select"] },
  optimizer: { label: "Optimizer", ids: ["optimizer-select", "momentum", "nesterov"] },
  learning_rate: { label: "Learning rate", ids: ["learning-rate"] },
  batch_size: { label: "Batch size", ids: ["batch-size"] },
  layers: {
    label: "Layers and widths",
    ids: ["add-layer", "remove-layer", "units-minus-*", "units-plus-*", "layer-units-*"],
  },
  activation: { label: "Activations", ids: ["layer-activation-*"] },
  init: { label: "Initialisation", ids: ["init-select"] },
  regularisation: {
    label: "Schedule and regularisation",
    ids: ["training-more", "regularisation-fold", "layer-options-*"],
  },
  file: { label: "File menu", ids: ["file-menu"] },
};

/** The CSS that hides `names` (unknown names are skipped). */
export function hiddenControlsCss(names: readonly string[]): string {
  const selectors: string[] = [];
  for (const name of names) {
    for (const id of HIDEABLE_CONTROLS[name]?.ids ?? []) {
      const match = id.endsWith("*")
        ? `[data-testid^="${id.slice(0, -1)}"]`
        : `[data-testid="${id}"]`;
      selectors.push(match, `label:has(${match})`);
    }
  }
  return selectors.length ? `${selectors.join(",\n")} { display: none !important; }` : "";
}

/** The sheet that hides them: built through the CSSOM, which the page's Content Security Policy
 * (style-src 'self') allows where a `<style>` element would be refused. */
let sheet: CSSStyleSheet | null = null;

/** The names of `names` that are not hideable controls (for a clear message). */
export function unknownControls(names: readonly string[]): string[] {
  return names.filter((name) => !(name in HIDEABLE_CONTROLS));
}

/** Hides the controls `names` in the page from now on (none: shows them all again). */
export function applyHiddenControls(
  names: readonly string[],
  doc: Document | null = pageDocument(),
): void {
  if (!doc || typeof CSSStyleSheet === "undefined") return;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(hiddenControlsCss(names));
}

function pageDocument(): Document | null {
  return typeof document === "undefined" ? null : document;
}
