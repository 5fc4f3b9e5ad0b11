package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** The committed model verifies against its card and loads with the card's specs. */
class ShippedModelTest {
  @Test
  void committed_model_verifies_loads_and_states_its_intended_use() {
    VerifiedModel verified = new ModelArtifacts().open(ShippedModel.dir());
    ModelCard card = verified.card();

    assertThat(card.name()).isEqualTo(CaseModel.NAME);
    assertThat(card.fusion().intendedUse()).isEqualTo(FusionCard.SYNTHETIC_USE);
    assertThat(card.fusion().variant()).isEqualTo("hybrid");
    assertThat(card.files())
        .extracting(ModelCard.ModelFile::path)
        .containsExactlyInAnyOrder(CaseModel.IMAGE_PARAMETERS, CaseModel.FUSION_PARAMETERS);
    assertThat(card.files().stream().mapToLong(ModelCard.ModelFile::bytes).sum())
        .isLessThan(25L << 20);
    try (CaseModel model = CaseModel.load(verified, Device.cpu())) {
      assertThat(model.imageSpec()).isEqualTo(card.fusion().image());
      assertThat(model.card().temperatures()).hasSize(5).allMatch(t -> t > 0);
    }
  }
}
