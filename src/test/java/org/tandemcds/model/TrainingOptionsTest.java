package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class TrainingOptionsTest {
  private static final TrainingOptions STANDARD = TrainingOptions.standard(1, FusionVariant.HYBRID);

  private static void refused(Runnable change, String naming) {
    assertThatThrownBy(change::run)
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
              assertThat(e.getMessage()).contains(naming);
            });
  }

  @Test
  void a_negative_or_undefined_loss_weight_is_refused_naming_its_option() {
    refused(() -> STANDARD.withCamWeight(-0.5f), "--cam-weight");
    refused(() -> STANDARD.withCamWeight(Float.NaN), "--cam-weight");
    refused(() -> STANDARD.withLesionWeight(-1f), "--lesion-weight");
    refused(() -> STANDARD.withLesionWeight(Float.NaN), "--lesion-weight");
  }

  @Test
  void impossible_epochs_batch_or_rate_are_refused_naming_what_is_wrong() {
    refused(() -> STANDARD.withEpochs(0), "--epochs");
    refused(() -> STANDARD.withBatchSize(0), "--batch-size");
    refused(() -> STANDARD.withLearningRate(0f), "learning rate");
  }

  @Test
  void the_standard_recipe_keeps_the_cam_loss_off_and_a_weight_can_be_set() {
    assertThat(STANDARD.camWeight()).isZero();
    assertThat(STANDARD.withCamWeight(0.5f).camWeight()).isEqualTo(0.5f);
    assertThat(STANDARD.withCamWeight(0.5f).lesionWeight()).isEqualTo(STANDARD.lesionWeight());
  }
}
