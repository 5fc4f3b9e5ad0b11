package org.tandemcds.samples;

/** The five findings the synthetic studies carry, with the keys used in the manifest. */
public enum Finding {
  CARDIOMEGALY("cardiomegaly"),
  PLEURAL_EFFUSION("pleural_effusion"),
  PNEUMOTHORAX("pneumothorax"),
  NODULE_MASS("nodule_mass"),
  CONSOLIDATION("consolidation");

  private final String key;

  Finding(String key) {
    this.key = key;
  }

  /** The manifest key, e.g. {@code pleural_effusion}. */
  public String key() {
    return key;
  }
}
