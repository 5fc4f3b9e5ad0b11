package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class DevicesTest {

  @BeforeAll
  static void offline() {
    Engines.init();
  }

  @Test
  void configuration_values_parse_case_insensitively_and_others_are_coded_errors() {
    assertThat(DevicePreference.parse(" GPU ")).isEqualTo(DevicePreference.GPU);
    assertThat(DevicePreference.parse("auto")).isEqualTo(DevicePreference.AUTO);
    assertThatThrownBy(() -> DevicePreference.parse("tpu"))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void cpu_preference_gives_the_cpu() {
    assertThat(new Devices(DevicePreference.CPU).choose()).isEqualTo(Device.cpu());
  }

  @Test
  void the_pytorch_engine_loads_offline_from_the_native_jar() {
    assertThat(Engines.offline()).isTrue();
    assertThat(Engine.getEngine("PyTorch").getVersion()).isEqualTo("2.5.1");
  }

  @Test
  void without_a_gpu_auto_gives_the_cpu_and_gpu_is_a_coded_error() {
    assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this host has a GPU");

    assertThat(new Devices(DevicePreference.AUTO).choose()).isEqualTo(Device.cpu());
    assertThatThrownBy(() -> new Devices(DevicePreference.GPU).choose())
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEVICE_UNAVAILABLE));
  }

  @Test
  @Tag("gpu")
  void with_a_gpu_auto_and_gpu_both_give_the_first_gpu() {
    assertThat(new Devices(DevicePreference.AUTO).choose()).isEqualTo(Device.gpu());
    assertThat(new Devices(DevicePreference.GPU).choose()).isEqualTo(Device.gpu());
  }
}
