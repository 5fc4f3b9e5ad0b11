package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class ModelArtifactsTest {
  private static final ImageNetworkSpec TINY =
      new ImageNetworkSpec(32, List.of(4, 8), List.of(8, 16));
  private static final String PARAMS = "image.params";

  @TempDir Path dir;

  @BeforeAll
  static void offline() {
    Engines.init();
  }

  @Test
  void a_written_model_loads_back_with_identical_outputs() throws Exception {
    Path modelDir = dir.resolve("m");
    float[] expected;
    try (ImageModel original = ImageModel.initialised(TINY, Device.cpu())) {
      write(modelDir, original);
      expected = forward(original);
    }

    VerifiedModel verified = new ModelArtifacts().open(modelDir);
    try (ImageModel loaded = ImageModel.load(verified, PARAMS, TINY, Device.cpu())) {
      assertThat(forward(loaded)).containsExactly(expected);
    }
    assertThat(verified.card().name()).isEqualTo("tiny");
    assertThat(verified.card().files())
        .extracting(ModelCard.ModelFile::path)
        .containsExactly("calibration.json", PARAMS);
    assertThat(verified.card().files().get(1).sha256())
        .isEqualTo(Sha256.of(modelDir.resolve(PARAMS)));
  }

  @Test
  void a_changed_byte_in_a_parameter_file_is_a_checksum_mismatch() throws Exception {
    Path modelDir = writeTiny();
    byte[] bytes = Files.readAllBytes(modelDir.resolve(PARAMS));
    bytes[bytes.length / 2] ^= 1;
    Files.write(modelDir.resolve(PARAMS), bytes);

    assertCode(() -> new ModelArtifacts().open(modelDir), ErrorCode.MODEL_CHECKSUM_MISMATCH);
  }

  @Test
  void a_missing_file_or_card_is_model_not_found() throws Exception {
    Path modelDir = writeTiny();
    Files.delete(modelDir.resolve("calibration.json"));
    assertCode(() -> new ModelArtifacts().open(modelDir), ErrorCode.MODEL_NOT_FOUND);

    Files.delete(modelDir.resolve(ModelCard.FILE_NAME));
    assertCode(() -> new ModelArtifacts().open(modelDir), ErrorCode.MODEL_NOT_FOUND);
    assertCode(() -> new ModelArtifacts().open(dir.resolve("none")), ErrorCode.MODEL_NOT_FOUND);
  }

  @Test
  void a_file_the_card_does_not_list_is_rejected() throws Exception {
    Path modelDir = writeTiny();
    Files.writeString(modelDir.resolve("extra.params"), "x");

    assertCode(() -> new ModelArtifacts().open(modelDir), ErrorCode.MODEL_CARD_INVALID);
  }

  @Test
  void a_card_naming_a_path_outside_the_directory_is_rejected() throws Exception {
    Path modelDir = writeTiny();
    Path card = modelDir.resolve(ModelCard.FILE_NAME);
    String json = Files.readString(card).replace("\"calibration.json\"", "\"../calibration.json\"");
    Files.writeString(card, json, StandardOpenOption.TRUNCATE_EXISTING);

    assertCode(() -> new ModelArtifacts().open(modelDir), ErrorCode.MODEL_CARD_INVALID);
  }

  @Test
  void a_card_that_is_not_json_is_rejected() throws Exception {
    Path modelDir = writeTiny();
    Files.writeString(modelDir.resolve(ModelCard.FILE_NAME), "{ not json");

    assertCode(() -> new ModelArtifacts().open(modelDir), ErrorCode.MODEL_CARD_INVALID);
  }

  @Test
  void parameters_of_another_architecture_fail_to_load_with_a_coded_error() throws Exception {
    VerifiedModel verified = new ModelArtifacts().open(writeTiny());
    ImageNetworkSpec other = new ImageNetworkSpec(32, List.of(4, 8), List.of(8, 32));

    assertCode(
        () -> ImageModel.load(verified, PARAMS, other, Device.cpu()).close(),
        ErrorCode.MODEL_FAILURE);
  }

  private Path writeTiny() {
    Path modelDir = dir.resolve("tiny");
    try (ImageModel model = ImageModel.initialised(TINY, Device.cpu())) {
      write(modelDir, model);
    }
    return modelDir;
  }

  private static void write(Path modelDir, ImageModel model) {
    new ModelArtifactWriter()
        .write(
            modelDir,
            "tiny",
            "0.0.1",
            Map.of(PARAMS, model.block()),
            Map.of("calibration.json", "{\"temperature\":1.5}".getBytes(StandardCharsets.UTF_8)));
  }

  private static float[] forward(ImageModel model) throws Exception {
    try (Predictor<NDList, NDList> p = model.model().newPredictor(new NoopTranslator());
        NDManager manager = model.model().getNDManager().newSubManager()) {
      var input = manager.arange(32f * 32).div(1024f).reshape(ImageNetwork.inputShape(TINY, 1));
      return p.predict(new NDList(input)).get(1).toFloatArray();
    }
  }

  private static void assertCode(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(CdsException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
